using Microsoft.Extensions.Options;

namespace Workflow.Orchestrator.Retention;

/// <summary>
/// Runs <see cref="JobRetention"/> every <see cref="RetentionOptions.Interval"/>, the first run
/// <see cref="RetentionOptions.InitialDelay"/> after start. It lives in the Orchestrator, which owns the jobs table and
/// its migrations: the Gateway only reads the job view. A failed run is logged and tried again at the next interval.
/// </summary>
public sealed class RetentionService(JobRetention retention, IOptions<RetentionOptions> options, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Retention is off (Retention:Enabled): finished jobs and their blobs are kept");
            return;
        }

        await Task.Delay(options.Value.InitialDelay ?? options.Value.Interval, stoppingToken);
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                await retention.RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "A retention run failed; the next one comes in {Interval}", options.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
