using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Workflow.TestKit.BadInput;

/// <summary>
/// One bad request of <see cref="BadInputCorpus"/>: who sends it, where, what, and which status and field the answer
/// must carry. A path or body may name <see cref="BadInputCorpus.OthersJob"/>: the runner puts in the id of a job that
/// exists and belongs to another user (<see cref="For"/>).
/// </summary>
public sealed record BadInputCase(
    bool Admin, HttpMethod Method, string Path, string? Body, int Status, string Field, string? ContentType = "application/json", string? IdempotencyKey = null,
    byte[]? Bytes = null)
{
    /// <summary>The case with another user's job put in where it names one.</summary>
    public BadInputCase For(Guid othersJob) => this with
    {
        Path = Path.Replace(BadInputCorpus.OthersJob, othersJob.ToString(), StringComparison.Ordinal),
        Body = Body?.Replace(BadInputCorpus.OthersJob, othersJob.ToString(), StringComparison.Ordinal),
    };

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Path);
        if ((Bytes ?? (Body is null ? null : Encoding.UTF8.GetBytes(Body))) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = ContentType is null ? null : MediaTypeHeaderValue.Parse(ContentType);
        }

        if (IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
        }

        return request;
    }

    /// <summary>Asserts that <paramref name="response"/> is this case's status as an RFC 9457 problem whose <c>errors</c> name the field.</summary>
    public async Task AssertAnsweredAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == Status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(Status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(Field, out _), text);
    }
}
