using Workflow.CombinationAnalyzer.Extensions;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCombinationAnalyzer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
