using Workflow.PromptEnhancer.Extensions;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPromptEnhancer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
