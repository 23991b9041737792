using Workflow.Gateway.Reports;

namespace Workflow.Gateway.Tests;

public sealed class When_failure_messages_are_normalised
{
    [Theory]
    [InlineData("image provider answered 503 Service Unavailable", "image provider answered <n> Service Unavailable")]
    [InlineData("the job's deadline of 600 s passed", "the job's deadline of <n> s passed")]
    [InlineData("job 3f2504e0-4f89-11d3-9a0c-0305e82c3301 not found", "job <id> not found")]
    [InlineData("job 3F2504E04F8911D39A0C0305E82C3301 not found", "job <id> not found")]
    [InlineData("blob jobs/x/images/0003-1a2b3c4d5e6f.png missing", "blob jobs/x/images/<n>-<id>.png missing")]
    [InlineData("prompt provider unreachable: Connection refused (api.example.com:443)", "prompt provider unreachable: Connection refused (api.example.com:<n>)")]
    [InlineData("POST https://api.example.com/v1/images/generations?id=42 failed after 2.5 s", "POST <url> failed after <n> s")]
    [InlineData("image size 8x8 is outside 16..4096", "image size <n>x<n> is outside <n>..<n>")]
    [InlineData("  two\nlines\t here ", "two lines here")]
    public void Numbers_ids_guids_and_urls_become_placeholders(string message, string expected) =>
        Assert.Equal(expected, FailureMessages.Normalize(message));

    [Fact]
    public void Two_occurrences_of_one_failure_read_the_same()
    {
        var first = FailureMessages.Normalize("System.TimeoutException: call 7d3c… to http://10.0.0.5:8080/render took 30001 ms for job 0b9f5c4e-1d2a-4c3b-9a8e-7f6d5c4b3a21");
        var second = FailureMessages.Normalize("System.TimeoutException: call 7d3c… to http://10.0.0.9:8080/render took 30417 ms for job 5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b");

        Assert.Equal(first, second);
        Assert.Equal("System.TimeoutException: call <n>d<n>c… to <url> took <n> ms for job <id>", first);
    }

    [Fact]
    public void Words_without_digits_stay_and_a_long_message_is_cut()
    {
        Assert.Equal("Gemini refused the content (SAFETY)", FailureMessages.Normalize("Gemini refused the content (SAFETY)"));
        Assert.Equal("deadbeef cafe", FailureMessages.Normalize("deadbeef cafe"));
        Assert.Equal(FailureMessages.MaxLength, FailureMessages.Normalize(new string('x', 2000)).Length);
        Assert.Equal("", FailureMessages.Normalize(null));
    }
}
