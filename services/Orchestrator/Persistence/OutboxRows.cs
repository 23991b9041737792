using Npgsql;
using NpgsqlTypes;

namespace Workflow.Orchestrator.Persistence;

/// <summary>Rows of <c>workflow.outbox_messages</c> written with plain Npgsql, in the saga's own batch (<see cref="JobSagaRepository"/>).</summary>
static class OutboxRows
{
    /// <summary>The column <see cref="Insert"/> returns, by which its result is told from the batch's others.</summary>
    public const string SequenceNumber = "sequence_number";

    const string InsertSql =
        "INSERT INTO workflow.outbox_messages (job_id, created_at, message_id, conversation_id, correlation_id, initiator_id, request_id, " +
        "source_address, destination_address, response_address, fault_address, sent_time, expiration_time, content_type, message_type, body, " +
        "headers_json, properties_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING " + SequenceNumber;

    public static NpgsqlBatchCommand Insert(OutboxMessage m)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        var p = command.Parameters;
        Add(p, NpgsqlDbType.Uuid, m.JobId);
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = m.CreatedAt });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = m.MessageId });
        Add(p, NpgsqlDbType.Uuid, m.ConversationId);
        Add(p, NpgsqlDbType.Uuid, m.CorrelationId);
        Add(p, NpgsqlDbType.Uuid, m.InitiatorId);
        Add(p, NpgsqlDbType.Uuid, m.RequestId);
        Add(p, NpgsqlDbType.Text, m.SourceAddress?.ToString());
        Add(p, NpgsqlDbType.Text, m.DestinationAddress?.ToString());
        Add(p, NpgsqlDbType.Text, m.ResponseAddress?.ToString());
        Add(p, NpgsqlDbType.Text, m.FaultAddress?.ToString());
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = m.SentTime });
        Add(p, NpgsqlDbType.TimestampTz, m.ExpirationTime);
        p.Add(new NpgsqlParameter<string> { TypedValue = m.ContentType });
        p.Add(new NpgsqlParameter<string> { TypedValue = m.MessageType });
        p.Add(new NpgsqlParameter<string> { TypedValue = m.Body });
        Add(p, NpgsqlDbType.Jsonb, m.HeadersJson);
        Add(p, NpgsqlDbType.Jsonb, m.PropertiesJson);
        return command;
    }

    static void Add(NpgsqlParameterCollection p, NpgsqlDbType type, object? value) =>
        p.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
}
