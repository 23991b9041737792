using System.Security.Cryptography;
using System.Text;

namespace Workflow.Contracts.V1;

/// <summary>
/// Job ids derived from a name (RFC 9562 version 5 layout over SHA-256), so that a repeated request derives the id
/// of the job it made: the Gateway's idempotency and unique keys, the Orchestrator's batch items.
/// </summary>
public static class NameBasedGuid
{
    /// <summary>The id for <paramref name="name"/>; the same name gives the same id in every service and every release.</summary>
    public static Guid Create(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
