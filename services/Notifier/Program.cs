using Workflow.Notifier.Extensions;
using Workflow.Notifier.WebSockets;
using Workflow.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNotifier();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseNotifierWebSockets();
app.MapDefaultEndpoints();
app.MapJobSocket();
app.Run();

/// <summary>The Notifier's entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
