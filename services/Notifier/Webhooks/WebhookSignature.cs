using System.Security.Cryptography;
using System.Text;

namespace Workflow.Notifier.Webhooks;

/// <summary>
/// The signature receivers check: <c>X-Workflow-Signature: sha256=&lt;hex&gt;</c> is HMAC-SHA256 with the shared
/// secret over <c>{X-Workflow-Timestamp}.{body}</c>; the timestamp (Unix seconds) lets a receiver refuse replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Workflow-Signature";
    public const string TimestampHeader = "X-Workflow-Timestamp";
    public const string EventHeader = "X-Workflow-Event";
    public const string DeliveryHeader = "X-Workflow-Delivery";

    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>Constant-time check of a received signature.</summary>
    public static bool Verify(string secret, long timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
