using System.Text;
using System.Text.Json.Nodes;
using Workflow.Gateway.Apis;

namespace Workflow.Gateway.Tests;

public sealed class When_dead_letters_are_grouped_and_selected
{
    /// <summary>A message as RabbitMQ's management API answers a <c>get</c>, with the fault headers MassTransit adds when it dead-letters one.</summary>
    static JsonNode Managed(string? messageId, string type, string? exception, string payloadEncoding = "string", string? payload = null) => new JsonObject
    {
        ["payload_encoding"] = payloadEncoding,
        ["payload"] = payload ?? $$$"""{"messageId":"{{{messageId}}}","messageType":["urn:message:Workflow.Contracts.V1:{{{type}}}"],"message":{"jobId":"4b6f0c1e-3a3f-4c43-9d0a-6b1c6bb2e001","attempt":2}}""",
        ["properties"] = new JsonObject
        {
            ["headers"] = exception is null ? new JsonObject() : new JsonObject
            {
                ["MT-Fault-ExceptionType"] = exception,
                ["MT-Fault-Message"] = "the provider said no",
                ["MT-Fault-StackTrace"] = "   at Workflow.ImageGenerator.Render()",
                ["MT-Fault-Timestamp"] = "2026-12-02T10:00:00Z",
                ["MT-Fault-Retry-Count"] = 3,
            },
        },
    };

    [Fact]
    public void A_managed_message_shows_its_envelope_fault_headers_and_body()
    {
        var letter = DeadLetterView.From("generate-images", Managed("m-1", "GenerateImages", "System.TimeoutException"));

        Assert.Equal("m-1", letter.Key);
        Assert.Equal("urn:message:Workflow.Contracts.V1:GenerateImages", letter.MessageType);
        Assert.Equal("4b6f0c1e-3a3f-4c43-9d0a-6b1c6bb2e001", letter.JobId);
        Assert.Equal(2, letter.Attempt);
        Assert.Equal("System.TimeoutException", letter.ExceptionType);
        Assert.Equal("the provider said no", letter.ExceptionMessage);
        Assert.Equal("   at Workflow.ImageGenerator.Render()", letter.StackTrace);
        Assert.Equal("3", letter.Headers["MT-Fault-Retry-Count"]);
        Assert.Equal("string", letter.BodyEncoding);
        Assert.Contains("\"attempt\":2", letter.Body, StringComparison.Ordinal);
        Assert.Equal("GenerateImages", DeadLetterView.ShortType(letter.MessageType));
    }

    [Fact]
    public void A_message_without_an_id_is_keyed_by_its_body_and_binary_bodies_stay_base64()
    {
        var bytes = new byte[] { 0xff, 0xfe, 0x00, 0x41 };
        var binary = DeadLetterView.From("q", Managed(null, "X", null, "base64", Convert.ToBase64String(bytes)));
        var again = DeadLetterView.From("q", Managed(null, "X", null, "base64", Convert.ToBase64String(bytes)));
        var text = DeadLetterView.From("q", Managed(null, "X", null, "string", "{ not json"));

        Assert.Equal("base64", binary.BodyEncoding);
        Assert.Equal(Convert.ToBase64String(bytes), binary.Body);
        Assert.StartsWith("sha256:", binary.Key, StringComparison.Ordinal);
        Assert.Equal(binary.Key, again.Key);
        Assert.NotEqual(binary.Key, text.Key);
        Assert.Null(text.MessageType);
        Assert.Equal("(not a MassTransit message)", DeadLetterView.ShortType(text.MessageType));
        Assert.Equal(Encoding.UTF8.GetBytes("{ not json"), Encoding.UTF8.GetBytes(text.Body));
    }

    [Fact]
    public void Letters_group_by_queue_message_type_and_exception_largest_first()
    {
        var letters = new[]
        {
            DeadLetterView.From("generate-images", Managed("a", "GenerateImages", "System.TimeoutException")),
            DeadLetterView.From("generate-images", Managed("b", "GenerateImages", "System.TimeoutException")),
            DeadLetterView.From("generate-images", Managed("c", "GenerateImages", "System.InvalidOperationException")),
            DeadLetterView.From("enhance-prompts", Managed("d", "GenerateImages", "System.TimeoutException")),
            DeadLetterView.From("generate-images", Managed("e", "GenerateImages", null)),
        };

        var groups = DeadLetterGroup.Of(letters);

        Assert.Equal(4, groups.Count);
        Assert.Equal(["a", "b"], groups[0].Letters.Select(l => l.Key));
        Assert.Equal("System.TimeoutException", groups[0].ExceptionType);
        Assert.Contains(groups, g => g.Queue == "enhance-prompts" && g.Letters.Single().Key == "d");
        Assert.Contains(groups, g => g.ExceptionType == "" && g.Letters.Single().Key == "e");
    }

    [Fact]
    public void A_selection_takes_its_keys_else_its_group_else_everything()
    {
        var timeout = DeadLetterView.From("q", Managed("a", "GenerateImages", "System.TimeoutException"));
        var noFault = DeadLetterView.From("q", Managed("b", "GenerateImages", null));

        var byKey = new DeadLetterSelection("ignored", "ignored", new HashSet<string> { "b" });
        var byGroup = new DeadLetterSelection("urn:message:Workflow.Contracts.V1:GenerateImages", "System.TimeoutException", null);
        var byMissingFault = new DeadLetterSelection("urn:message:Workflow.Contracts.V1:GenerateImages", "", null);
        var all = new DeadLetterSelection(null, null, null);

        Assert.False(byKey.Matches(timeout));
        Assert.True(byKey.Matches(noFault));
        Assert.True(byGroup.Matches(timeout));
        Assert.False(byGroup.Matches(noFault));
        Assert.False(byMissingFault.Matches(timeout));
        Assert.True(byMissingFault.Matches(noFault));
        Assert.True(all.Matches(timeout) && all.Matches(noFault));
    }
}
