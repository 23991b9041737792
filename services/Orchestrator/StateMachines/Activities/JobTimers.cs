namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// The saga's timers are due times in its row, which the timeout sweep reads: the stage's timeout or a delayed
/// start (<see cref="JobState.StageTimeoutAt"/>), and the whole job's deadline (<see cref="JobState.DeadlineAt"/>).
/// </summary>
public static class JobTimers
{
    /// <summary>A delayed job is due at its start time.</summary>
    public static void WaitForRunAt(JobState saga) => saga.StageTimeoutAt = saga.RunAt;

    /// <summary>Starts the clock on the whole job: <see cref="JobState.TimeoutSeconds"/> from now.</summary>
    public static void StartDeadline(JobState saga) => saga.DeadlineAt = DateTime.UtcNow.AddSeconds(saga.TimeoutSeconds);

    /// <summary>No stage runs while the job waits for its dependencies, but the job's time does: it cannot wait for ever.</summary>
    public static void StartWaiting(JobState saga)
    {
        saga.StageTimeoutAt = null;
        StartDeadline(saga);
    }

    /// <summary>A stage attempt dispatched after <paramref name="delay"/> times out that long after it starts.</summary>
    public static void StartStage(JobState saga, OrchestratorOptions options, TimeSpan delay)
    {
        saga.StageStartedAt = DateTime.UtcNow + delay;
        saga.StageTimeoutAt = saga.StageStartedAt.Value + options.StageTimeout(saga.Type, saga.CurrentState);
    }

    /// <summary>A job that ended has no timers: the sweep no longer looks at it.</summary>
    public static void Stop(JobState saga)
    {
        saga.StageTimeoutAt = null;
        saga.DeadlineAt = null;
    }
}
