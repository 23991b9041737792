using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Workflow.Bench.WebSockets;

/// <summary>
/// Reads the three fields the benchmark needs from a Notifier frame with a forward-only reader: 10,000 clients in one
/// process parse every frame, and what parsing costs them is time the Notifier's frames wait to be read.
/// </summary>
public static class FrameReader
{
    /// <summary>The frame's latency when it is an event of <paramref name="jobId"/>, else null.</summary>
    // Optimised from the first call: the first event's 10,000 frames are read before tiered compilation would get to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Latency? Read(ReadOnlySpan<byte> frame, Guid jobId, DateTime arrived)
    {
        var reader = new Utf8JsonReader(frame);
        (Guid? id, DateTime? timestamp, int? sequence) = (null, null, null);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("jobId"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetGuid() : null;
            }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = reader.GetDateTime().ToUniversalTime();
            }
            else if (reader.CurrentDepth == 2 && reader.ValueTextEquals("sequence"u8))
            {
                reader.Read();
                sequence = reader.GetInt32();
            }
        }

        return id == jobId && timestamp is { } sent && sequence is { } s ? new Latency(s, (arrived - sent).TotalMilliseconds) : null;
    }
}
