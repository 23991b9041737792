using Workflow.Gateway.Apis;
using Workflow.Gateway.Extensions;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();
builder.AddApiReference();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestChecks();
app.MapDefaultEndpoints();
app.MapApiReference();
app.MapJobsApi();
app.MapAdminApi();
app.MapSchedulesApi();
app.Run();

/// <summary>The Gateway's entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
