using MassTransit;
using Workflow.Orchestrator.StateMachines.Activities;

namespace Workflow.Orchestrator.StateMachines;

public static class JobSagaRegistration
{
    /// <summary>
    /// The job saga with its endpoint, and the activities its declaration resolves for each message: stateless, so
    /// one instance each serves every message.
    /// </summary>
    public static ISagaRegistrationConfigurator<JobState> AddJobSaga(this IBusRegistrationConfigurator bus)
    {
        bus.AddSingleton<DispatchStage>();
        bus.AddSingleton<RedispatchStage>();
        bus.AddSingleton<RetryStage>();
        bus.AddSingleton<AlertOperator>();
        bus.AddSingleton<RecordUsage>();
        return bus.AddSagaStateMachine<JobStateMachine, JobState, JobStateDefinition>();
    }
}
