using Workflow.Gateway.Apis;
using Workflow.Gateway.Dashboard;
using Workflow.Gateway.Extensions;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();
builder.AddApiReference();
builder.AddDashboard();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStaticFiles();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestChecks();
app.MapDefaultEndpoints();
app.MapApiReference();
app.MapJobsApi();
app.MapBulkRetryApi();
app.MapAdminApi();
app.MapDeadLetterApi();
app.MapReportsApi();
app.MapSchedulesApi();
app.MapDashboard();
app.Run();

/// <summary>The Gateway's entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
