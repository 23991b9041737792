using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Workflow.Gateway.Apis;

/// <summary>
/// Reads every route's JSON body the same way, so that nothing a client sends reaches a queue or a table unchecked:
/// a JSON content type (else 415, see <see cref="ContentTypeProblem"/>), at most
/// <see cref="GatewayOptions.MaxRequestBodyBytes"/> (else 413), well-formed (else 400 naming where it broke), no
/// control characters in any string (else 400 naming the field), and values of the right type (else 400 naming the field).
/// </summary>
public static class JsonBody
{
    /// <summary>Fields of free text, where tab, line feed and carriage return belong; every other string is one line.</summary>
    static readonly HashSet<string> MultilineFields = new(StringComparer.Ordinal) { "basePrompt" };

    /// <summary>A body full of bad strings gets this many named, not one per string.</summary>
    const int MaxReportedFields = 20;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes)
        where T : class
    {
        var (body, tooLarge) = await ReadBytesAsync(request, maxBytes);
        if (tooLarge)
        {
            return (null, Problems.Field("body", $"the body is larger than {maxBytes} bytes.", StatusCodes.Status413RequestEntityTooLarge, "Request body too large"));
        }

        if (body.Length == 0)
        {
            return (null, Problems.Field("body", "the body is required: a JSON object."));
        }

        var wellFormed = true;
        try
        {
            using var document = JsonDocument.Parse(body);
            var errors = new Dictionary<string, string[]>();
            FindBadText(document.RootElement, "", errors);
            if (errors.Count > 0)
            {
                return (null, Results.ValidationProblem(errors));
            }
        }
        catch (JsonException)
        {
            // Reported below: the serializer's error knows the path where the JSON broke, the document's does not.
            wellFormed = false;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Json);
            return value is null ? (null, Problems.Field("body", "the body is a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (null, Problems.Field(field, (wellFormed ? "a value of the wrong type" : "malformed JSON") + where + "."));
        }
    }

    /// <summary>
    /// The character that makes <paramref name="text"/> unfit for the API, or null: control characters (tab, line feed and
    /// carriage return aside when <paramref name="multiline"/>) and lone surrogates, which PostgreSQL's text and jsonb refuse
    /// or which corrupt what logs and terminals show.
    /// </summary>
    public static string? BadCharacter(string text, bool multiline = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return $"U+{(int)c:X4}";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "a lone surrogate";
            }
        }

        return null;
    }

    /// <summary>The problem for a field holding <paramref name="character"/>.</summary>
    public static string BadCharacterMessage(string character) => $"{character} is not allowed here: text holds no control characters (tab and new lines only in free text) and no lone surrogates.";

    static void FindBadText(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        if (errors.Count >= MaxReportedFields)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // A name the parser cannot give back is not UTF-8 or holds a lone surrogate.
                    var name = Text(() => property.Name);
                    if (name is null || BadCharacter(name) is not null)
                    {
                        errors[path.Length == 0 ? "body" : path] = ["property names hold no control characters."];
                        continue;
                    }

                    FindBadText(property.Value, path.Length == 0 ? name : $"{path}.{name}", errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindBadText(item, $"{path}[{index++}]", errors);
                }

                break;
            case JsonValueKind.String:
                var leaf = path[(path.LastIndexOf('.') + 1)..];
                var text = Text(element.GetString);
                // A string the parser cannot give back is not UTF-8 or holds a lone surrogate.
                if ((text is null ? "text that is not valid Unicode" : BadCharacter(text, MultilineFields.Contains(leaf))) is { } bad)
                {
                    errors[path] = [BadCharacterMessage(bad)];
                }

                break;
        }
    }

    static string? Text(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// A 415 naming <c>Content-Type</c> when the request has a body that is not declared JSON (<c>application/json</c>
    /// or <c>…+json</c>), on every route, or null.
    /// </summary>
    public static IResult? ContentTypeProblem(HttpRequest request)
    {
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        var json = MediaTypeHeaderValue.TryParse(request.ContentType, out var media) &&
            (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        return hasBody && !json
            ? Problems.Field("Content-Type", "a request body is JSON: send 'Content-Type: application/json'.", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type")
            : null;
    }

    static async Task<(byte[] Body, bool TooLarge)> ReadBytesAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return ([], true);
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return ([], true);
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own limit (set to the same size for every request) stopped the read.
            return ([], true);
        }

        return (body.ToArray(), false);
    }
}
