using System.Data;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Npgsql;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Persistence;

/// <summary>One message's unit of work on a job's saga row; see <see cref="JobSagaRepository"/>.</summary>
sealed class JobSagaRepositoryContext<TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<JobState, TMessage>
    where TMessage : class
{
    readonly NpgsqlConnection connection;
    readonly ConsumeContext<TMessage> consumeContext;
    readonly ISagaConsumeContextFactory<NpgsqlConnection, JobState> factory;

    /// <summary>Whether this unit sent <c>BEGIN</c> and has not ended the transaction yet.</summary>
    bool inTransaction;

    public JobSagaRepositoryContext(NpgsqlConnection connection, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<NpgsqlConnection, JobState> factory)
        : base(consumeContext, connection)
    {
        this.connection = connection;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<JobState, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, JobState instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(connection, context, instance, mode);

    public Task<SagaConsumeContext<JobState, TMessage>> Add(JobState instance) =>
        factory.CreateSagaConsumeContext(connection, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<JobState, TMessage>> Insert(JobState instance)
    {
        instance.Version = 1;
        await using var batch = Begin();
        var insert = new NpgsqlBatchCommand(JobRows.Insert + " ON CONFLICT (id) DO NOTHING");
        JobRows.AddValues(insert.Parameters, instance);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(CancellationToken);
        // Another message created the row first: MassTransit then loads the existing instance.
        return insert.RecordsAffected == 0
            ? null!
            : await factory.CreateSagaConsumeContext(connection, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<JobState, TMessage>> Load(Guid correlationId)
    {
        await using var batch = Begin();
        var select = new NpgsqlBatchCommand(JobRows.Select);
        select.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = correlationId });
        batch.BatchCommands.Add(select);
        JobState? instance = null;
        await using (var reader = await batch.ExecuteReaderAsync(CancellationToken))
        {
            if (await reader.ReadAsync(CancellationToken))
            {
                instance = JobRows.Read(reader, correlationId);
            }
        }

        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(connection, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<JobState> context)
    {
        context.Saga.Version = 1;
        var insert = new NpgsqlBatchCommand(JobRows.Insert);
        JobRows.AddValues(insert.Parameters, context.Saga);
        return CommitAsync(insert, context.Saga.CorrelationId);
    }

    public Task Update(SagaConsumeContext<JobState> context)
    {
        var loadedVersion = context.Saga.Version++;
        var update = new NpgsqlBatchCommand(JobRows.Update);
        JobRows.AddValues(update.Parameters, context.Saga);
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = loadedVersion });
        return CommitAsync(update, context.Saga.CorrelationId);
    }

    public Task Delete(SagaConsumeContext<JobState> context)
    {
        var delete = new NpgsqlBatchCommand(JobRows.Delete);
        delete.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = context.Saga.CorrelationId });
        delete.Parameters.Add(new NpgsqlParameter<int> { TypedValue = context.Saga.Version });
        return CommitAsync(delete, context.Saga.CorrelationId);
    }

    public Task Discard(SagaConsumeContext<JobState> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<JobState> context) => Task.CompletedTask;

    /// <summary>Ends a unit that wrote nothing (the message changed no saga): its transaction only read.</summary>
    public async Task EndAsync()
    {
        if (inTransaction)
        {
            await AbandonAsync();
        }
    }

    /// <summary>Rolls back whatever this unit began; the connection goes back to the pool clean.</summary>
    public async Task AbandonAsync()
    {
        // A broken connection (PostgreSQL restarting) took its transaction with it, and the pool discards it. The error
        // that ended the unit is the one to report: the endpoint's retry policy decides on it, so nothing here may
        // replace it with an error of its own.
        if (!inTransaction || connection.FullState != ConnectionState.Open)
        {
            return;
        }

        inTransaction = false;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection broke in between: as above.
        }
    }

    /// <summary>A batch that opens this unit's transaction with its first statement, if no earlier one did.</summary>
    NpgsqlBatch Begin()
    {
        var batch = new NpgsqlBatch(connection);
        if (!inTransaction)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            inTransaction = true;
        }

        return batch;
    }

    /// <summary>The saga's row statement, then the messages it sent (their sequence numbers read back), then <c>COMMIT</c>.</summary>
    async Task CommitAsync(NpgsqlBatchCommand row, Guid jobId)
    {
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var batch = Begin();
        batch.BatchCommands.Add(row);
        var messages = SagaOutbox.TakeUnstored(consumeContext);
        foreach (var message in messages)
        {
            batch.BatchCommands.Add(OutboxRows.Insert(message));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(CancellationToken);
            var stored = 0;
            do
            {
                if (reader.FieldCount == 1 && reader.GetName(0) == OutboxRows.SequenceNumber)
                {
                    await reader.ReadAsync(CancellationToken);
                    messages[stored++].SequenceNumber = reader.GetInt64(0);
                }
            }
            while (await reader.NextResultAsync(CancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DivisionByZero)
        {
            throw new ConcurrencyException($"Job {jobId} was saved by another message since it was loaded", typeof(JobState), jobId, e);
        }

        inTransaction = false;
        JobMetrics.Saved(startedAt);
    }
}
