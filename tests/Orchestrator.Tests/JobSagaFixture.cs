using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Retries;
using Workflow.TestKit;
using JobStateMachine = Workflow.Orchestrator.StateMachines.JobStateMachine;

namespace Workflow.Orchestrator.Tests;

/// <summary>The job saga on MassTransit's in-memory test harness, with helpers that play the stage services.</summary>
public sealed class JobSagaFixture : IAsyncDisposable
{
    readonly ServiceProvider provider;

    JobSagaFixture(ServiceProvider provider)
    {
        this.provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<JobStateMachine, JobState>();
        Machine = provider.GetRequiredService<JobStateMachine>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<JobStateMachine, JobState> Saga { get; }
    public JobStateMachine Machine { get; }

    public static async Task<JobSagaFixture> StartAsync(
        Action<OrchestratorOptions>? configure = null, Action<OperatorAlertOptions>? alerts = null, Action<CostOptions>? costs = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<OperatorAlertOptions>().Configure(o => alerts?.Invoke(o));
        services.AddOptions<CostOptions>().Configure(o => costs?.Invoke(o));
        services.AddOptions<OrchestratorOptions>().Configure(o =>
        {
            // No backoff between the saga's stage retries unless a spec asks: most look at what is sent, not at the wait.
            o.StageRetry = new BackoffOptions { Kind = BackoffKind.Immediate };
            configure?.Invoke(o);
        });
        services.AddSingleton<IJobSagaOutbox, InMemoryJobSagaOutbox>();
        var provider = services
            .AddMassTransitTestHarness(x =>
            {
                x.SetKebabCaseEndpointNameFormatter();
                x.AddDelayedMessageScheduler();
                x.AddJobSaga().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(true);
        var fixture = new JobSagaFixture(provider);
        await fixture.Harness.Start();
        return fixture;
    }

    public static SubmitJob NewJob(string type = JobTypes.ImageGeneration, int count = 3, int maxRetries = 2) =>
        new(
            Guid.NewGuid(),
            type,
            "normal",
            "demo",
            new JobInput(
                "a travel poster",
                new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"], ["subject"] = ["fox", "owl"] },
                count,
                64,
                64),
            maxRetries,
            600,
            null,
            DateTime.UtcNow);

    public async Task<JobAccepted> SubmitAsync(SubmitJob job)
    {
        var client = Harness.GetRequestClient<SubmitJob>();
        var response = await client.GetResponse<JobAccepted>(job);
        return response.Message;
    }

    /// <summary>Waits until the saga is in <paramref name="state"/> and returns the instance.</summary>
    public async Task<JobState> InState(Guid jobId, Func<JobStateMachine, State> state)
    {
        var found = await Saga.Exists(jobId, state, TimeSpan.FromSeconds(10));
        Assert.True(found.HasValue, $"job {jobId} did not reach {state(Machine).Name}; it is {Saga.Sagas.Contains(jobId)?.CurrentState}");
        return Saga.Sagas.Contains(jobId)!;
    }

    /// <summary>Publishes a message about <paramref name="jobId"/> and waits until the saga consumed it.</summary>
    public async Task DeliverAsync<T>(Guid jobId, T message, Func<T, Guid> id)
        where T : class
    {
        int Consumed() => Saga.Consumed.Select<T>(x => id(x.Context.Message) == jobId).Count();
        var before = Consumed();
        await Harness.Bus.Publish(message);
        await Wait.UntilAsync(() => Consumed() != before, $"the saga did not consume {typeof(T).Name} for job {jobId}", TimeSpan.FromSeconds(10));
    }

    /// <summary>Plays a stage service whose command faulted, as MassTransit reports it: <c>Fault&lt;T&gt;</c>, marked permanent or not.</summary>
    public async Task FaultAsync<T>(Guid jobId, T command, string reason, bool permanent)
        where T : class
    {
        int Consumed() => Saga.Consumed.Select<Fault<T>>(x => JobIds<T>.Read!(x.Context.Message.Message) == jobId).Count();
        var before = Consumed();
        await Harness.Bus.Publish<Fault<T>>(new
        {
            Message = command,
            FaultId = NewId.NextGuid(),
            Timestamp = DateTime.UtcNow,
            Exceptions = new ExceptionInfo[] { new StageExceptionInfo(reason, permanent) },
        });
        await Wait.UntilAsync(() => Consumed() != before, $"the saga did not consume Fault<{typeof(T).Name}> for job {jobId}", TimeSpan.FromSeconds(10));
    }

    public static AnalyzeCombinations Analyze(Guid jobId, int attempt) =>
        new(jobId, attempt, "demo", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 3, null);

    public static GenerateImages Generate(Guid jobId, int attempt) => new(jobId, attempt, [], 64, 64);

    sealed record StageExceptionInfo(string Message, bool Permanent) : ExceptionInfo
    {
        public string ExceptionType => Permanent ? nameof(PermanentFailureException) : nameof(TimeoutException);
        public ExceptionInfo? InnerException => null;
        public string StackTrace => "";
        public string Source => "test";
        public IDictionary<string, object>? Data =>
            Permanent ? new Dictionary<string, object> { [Failures.ClassificationKey] = Failures.Permanent } : null;
    }

    /// <summary>Waits until at least <paramref name="count"/> such messages were sent (the outbox sends after the state is saved).</summary>
    public Task<IReadOnlyList<T>> SentAsync<T>(Guid jobId, Func<T, Guid> id, int count = 1)
        where T : class =>
        WaitForCount(() => Sent(jobId, id), count);

    /// <summary>Waits until at least <paramref name="count"/> such messages were published.</summary>
    public Task<IReadOnlyList<T>> PublishedAsync<T>(Guid jobId, Func<T, Guid> id, int count = 1)
        where T : class =>
        WaitForCount(() => Published(jobId, id), count);

    static async Task<IReadOnlyList<T>> WaitForCount<T>(Func<IReadOnlyList<T>> messages, int count)
    {
        await Wait.UntilAsync(() => messages().Count >= count, $"fewer than {count} {typeof(T).Name} messages in time", TimeSpan.FromSeconds(10));
        return messages();
    }

    public IReadOnlyList<T> Sent<T>(Guid jobId, Func<T, Guid> id)
        where T : class =>
        [.. Harness.Sent.Select<T>(x => id(x.Context.Message) == jobId).Select(x => x.Context.Message)];

    public IReadOnlyList<T> Published<T>(Guid jobId, Func<T, Guid> id)
        where T : class =>
        [.. Harness.Published.Select<T>(x => id(x.Context.Message) == jobId).Select(x => x.Context.Message)];

    public static CombinationsAnalyzed Analyzed(Guid jobId, int attempt) =>
        new(jobId, attempt, [Combo("ink", "fox"), Combo("oil", "owl"), Combo("ink", "owl")],
            new CombinationScore(1, 1.33, new Dictionary<string, int> { ["style"] = 2, ["subject"] = 2 }));

    public static PromptsEnhanced Enhanced(Guid jobId, int attempt) =>
        new(jobId, attempt, [.. Enumerable.Range(0, 3).Select(i => new EnhancedPrompt(i, $"prompt {i}", Combo("ink", "fox")))]);

    public static ImagesGenerated Generated(Guid jobId, int attempt) =>
        new(jobId, attempt, [.. Enumerable.Range(0, 3).Select(i =>
            new GeneratedImage(i, $"jobs/{jobId}/images/{i:D4}.png", $"prompt {i}", Combo("ink", "fox"), 64, 64, new string('a', 64), 100))]);

    public static ImagesPostProcessed PostProcessed(Guid jobId, int attempt) =>
        new(jobId, attempt, $"jobs/{jobId}/manifest.json", new JobStatistics(3, 300, 3));

    static Dictionary<string, string> Combo(string style, string subject) => new() { ["style"] = style, ["subject"] = subject };

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
    }
}
