using Workflow.ImageGenerator.Extensions;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddImageGenerator();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
