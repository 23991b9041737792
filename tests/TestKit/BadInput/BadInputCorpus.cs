using System.Text.Json.Nodes;

namespace Workflow.TestKit.BadInput;

/// <summary>
/// Hostile and careless input on every route of the Gateway, at least sixty cases: control characters, oversized fields
/// and bodies, values of the wrong type, unknown enums, webhooks that would reach inside, other users' ids. Each is
/// answered with a 4xx problem detail (RFC 9457) whose <c>errors</c> name the field at fault. Run in process by
/// <c>Gateway.Tests</c> and against the real services by <c>IntegrationTests</c>.
/// </summary>
public static class BadInputCorpus
{
    /// <summary>Where a case names a job that exists and belongs to another user: see <see cref="BadInputCase.For"/>.</summary>
    public const string OthersJob = "{others-job}";

    const int BadRequest = 400;
    const int NotFound = 404;
    const string OthersJobPath = "/api/jobs/" + OthersJob;
    static readonly string SomeJob = "/api/jobs/" + Guid.NewGuid();
    static readonly string SomeSchedule = "/api/schedules/" + Guid.NewGuid();

    /// <summary>Every case, by a name that says the route and what is wrong.</summary>
    public static IReadOnlyDictionary<string, BadInputCase> Cases { get; } = Build();

    public static TheoryData<string> Names => [.. Cases.Keys];

    /// <summary>Every route of the API, as <see cref="Route"/> names it: the corpus has a case for each.</summary>
    public static IReadOnlyList<string> Routes { get; } =
    [
        "POST /api/jobs", "GET /api/jobs", "GET /api/jobs/{id}", "GET /api/jobs/{id}/history", "GET /api/jobs/{id}/images/{index}",
        "POST /api/jobs/{id}/cancel", "POST /api/jobs/{id}/retry", "GET /api/admin/dead-letters", "GET /api/admin/dead-letters/{queue}",
        "POST /api/admin/dead-letters/{queue}/requeue", "POST /api/admin/dead-letters/{queue}/discard", "GET /api/admin/pauses", "POST /api/admin/pauses", "POST /api/admin/pauses/resume",
        "GET /api/admin/failures", "GET /api/admin/costs", "GET /api/admin/export",
        "POST /api/schedules", "GET /api/schedules", "GET /api/schedules/{id}", "PUT /api/schedules/{id}", "DELETE /api/schedules/{id}",
    ];

    static JsonObject Job(Action<JsonObject>? change = null)
    {
        var job = JobBodies.ImageGeneration();
        change?.Invoke(job);
        return job;
    }

    static JsonObject Schedule(Action<JsonObject>? change = null)
    {
        var schedule = JobBodies.Schedule();
        change?.Invoke(schedule);
        return schedule;
    }

    /// <summary>An image-generation input rendering <paramref name="count"/> images of 2048² (up to 20 combinations).</summary>
    static JsonObject LargeInput(int count) => new()
    {
        ["basePrompt"] = "a poster",
        ["attributes"] = new JsonObject { ["style"] = new JsonArray("a", "b", "c", "d", "e"), ["subject"] = new JsonArray("f", "g", "h", "i") },
        ["count"] = count,
        ["width"] = 2048,
        ["height"] = 2048,
    };

    static Dictionary<string, BadInputCase> Build()
    {
        var cases = new Dictionary<string, BadInputCase>();
        void Submit(string name, JsonNode body, string field, int status = BadRequest) =>
            cases[$"POST /api/jobs: {name}"] = new(false, HttpMethod.Post, "/api/jobs", body.ToJsonString(), status, field);
        void Raw(string name, bool admin, HttpMethod method, string path, string? body, int status, string field, string? contentType = "application/json") =>
            cases[$"{method} {path.Split('?')[0]}: {name}"] = new(admin, method, path, body, status, field, contentType);

        // Control characters and broken text in every string field of a submission.
        Submit("NUL in basePrompt", Job(j => j["input"]!["basePrompt"] = "a\u0000poster"), "input.basePrompt");
        Submit("escape in basePrompt", Job(j => j["input"]!["basePrompt"] = "a \u001b[31mposter"), "input.basePrompt");
        Submit("C1 control in basePrompt", Job(j => j["input"]!["basePrompt"] = "a\u0085poster"), "input.basePrompt");
        Submit("bell in an attribute value", Job(j => j["input"]!["attributes"]!["style"] = new JsonArray("ink\u0007", "oil")), "input.attributes.style[0]");
        Submit("tab in an attribute value", Job(j => j["input"]!["attributes"]!["style"] = new JsonArray("ink\t", "oil")), "input.attributes.style[0]");
        Submit("NUL in an attribute name", Job(j => j["input"]!["attributes"] = new JsonObject { ["sty\u0000le"] = new JsonArray("ink") }), "input.attributes");
        Submit("NUL in type", Job(j => j["type"] = "image-generation\u0000"), "type");
        Submit("newline in priority", Job(j => j["priority"] = "high\n"), "priority");
        Submit("NUL in uniqueKey", Job(j => j["uniqueKey"] = "nightly\u0000"), "uniqueKey");
        Submit("NUL in callbackUrl", Job(j => j["callbackUrl"] = "https://example.com/\u0000hook"), "callbackUrl");
        Submit("NUL in a batch item's basePrompt", new JsonObject
        {
            ["type"] = "batch-processing",
            ["input"] = new JsonObject { ["items"] = new JsonArray(Job()["input"]!.DeepClone(), Job(j => j["input"]!["basePrompt"] = "\u0000")["input"]!.DeepClone()) },
        }, "input.items[1].basePrompt");

        // Values the fields cannot take.
        Submit("count as text", Job(j => j["input"]!["count"] = "abc"), "input.count");
        Submit("width as a fraction", Job(j => j["input"]!["width"] = 256.5), "input.width");
        Submit("maxRetries as text", Job(j => j["maxRetries"] = "three"), "maxRetries");
        Submit("runAt not a time", Job(j => j["runAt"] = "tomorrow"), "runAt");
        Submit("dependsOn not an id", Job(j => j["dependsOn"] = new JsonArray("job-1")), "dependsOn[0]");
        Submit("attributes as a list", Job(j => j["input"]!["attributes"] = new JsonArray("ink")), "input.attributes");
        Submit("the body an array", new JsonArray(Job()), "body");
        Submit("callbackUrl too long", Job(j => j["callbackUrl"] = "https://example.com/" + new string('a', 2000)), "callbackUrl");

        // Budgets: one job, and a batch in all.
        Submit("more pixels than a job may render", Job(j => j["input"] = LargeInput(20)), "input");
        Submit("more pixels than a batch may render", new JsonObject
        {
            ["type"] = "batch-processing",
            ["input"] = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, 5).Select(_ => (JsonNode)LargeInput(15))]) },
        }, "input.items");

        // Webhooks that would reach inside: every spelling of loopback and the private and special ranges.
        string[] inside =
        [
            "http://127.0.0.1:15672/", "http://127.0.0.1:5080/api/admin/pauses", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
            "http://127.1/", "http://0x7f.1/", "http://017700000001/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::1]:5432/",
            "http://localhost:1/", "http://LOCALHOST./", "http://admin.localhost/", "http://127。0。0。1/", "http://10.0.0.1/", "http://172.16.5.4/",
            "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://0.0.0.0/", "http://0/", "http://224.0.0.1/",
            "http://255.255.255.255/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[::]/", "http://[ff02::1]/",
            "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/",
        ];
        foreach (var url in inside)
        {
            Submit($"callbackUrl {url}", Job(j => j["callbackUrl"] = url), "callbackUrl");
        }

        Submit("callbackUrl with credentials", Job(j => j["callbackUrl"] = "https://user:secret@example.com/hook"), "callbackUrl");
        Submit("callbackUrl over ftp", Job(j => j["callbackUrl"] = "ftp://example.com/hook"), "callbackUrl");
        Submit("callbackUrl to a file", Job(j => j["callbackUrl"] = "file:///etc/passwd"), "callbackUrl");
        Submit("callbackUrl relative", Job(j => j["callbackUrl"] = "/hooks"), "callbackUrl");

        // How the body arrives.
        Raw("malformed JSON", false, HttpMethod.Post, "/api/jobs", "{\"type\":\"image-generation\",\"input\":{\"count\": }}", BadRequest, "input.count");
        Raw("text/plain", false, HttpMethod.Post, "/api/jobs", Job().ToJsonString(), 415, "Content-Type", "text/plain");
        Raw("no content type", false, HttpMethod.Post, "/api/jobs", Job().ToJsonString(), 415, "Content-Type", null);
        Raw("form data", false, HttpMethod.Post, "/api/jobs", "type=image-generation", 415, "Content-Type", "application/x-www-form-urlencoded");
        Raw("empty body", false, HttpMethod.Post, "/api/jobs", "", BadRequest, "body");
        Raw("JSON null", false, HttpMethod.Post, "/api/jobs", "null", BadRequest, "body");
        // Escaped in the JSON text: a serializer would replace the lone surrogate before it left the client.
        Raw("lone surrogate in basePrompt", false, HttpMethod.Post, "/api/jobs", Job().ToJsonString().Replace("a travel poster", "a\\ud800poster", StringComparison.Ordinal),
            BadRequest, "input.basePrompt");
        cases["POST /api/jobs: invalid UTF-8"] = new(false, HttpMethod.Post, "/api/jobs", null, BadRequest, "type", Bytes: [.. "{\"type\":\""u8, 0xC3, 0x28, .. "\"}"u8]);
        Raw("too deep", false, HttpMethod.Post, "/api/jobs", new string('[', 100) + new string(']', 100), BadRequest, "body");
        Raw("larger than the limit", false, HttpMethod.Post, "/api/jobs", Job(j => j["padding"] = new string('x', 300 * 1024)).ToJsonString(), 413, "body");
        cases["POST /api/jobs: a control character in the Idempotency-Key"] =
            new(false, HttpMethod.Post, "/api/jobs", Job().ToJsonString(), BadRequest, "Idempotency-Key", IdempotencyKey: "order\u000117");
        cases["POST /api/jobs: an Idempotency-Key too long"] =
            new(false, HttpMethod.Post, "/api/jobs", Job().ToJsonString(), BadRequest, "Idempotency-Key", IdempotencyKey: new string('k', 201));

        // Query parameters of the search, and of every other route.
        Raw("NUL in q", false, HttpMethod.Get, "/api/jobs?q=%00poster", null, BadRequest, "q");
        Raw("escape in q", false, HttpMethod.Get, "/api/jobs?q=%1b%5b2J", null, BadRequest, "q");
        Raw("q too long", false, HttpMethod.Get, "/api/jobs?q=" + new string('q', 201), null, BadRequest, "q");
        Raw("page as text", false, HttpMethod.Get, "/api/jobs?page=abc", null, BadRequest, "page");
        Raw("pageSize negative", false, HttpMethod.Get, "/api/jobs?pageSize=-1", null, BadRequest, "pageSize");
        Raw("from not a time", false, HttpMethod.Get, "/api/jobs?from=yesterday", null, BadRequest, "from");
        Raw("unknown status", false, HttpMethod.Get, "/api/jobs?status=sleeping", null, BadRequest, "status");
        Raw("newline in type", false, HttpMethod.Get, "/api/jobs?type=image-generation%0a", null, BadRequest, "type");
        Raw("control character in a parameter name", false, HttpMethod.Get, "/api/jobs?a%00b=1", null, BadRequest, "query");
        Raw("NUL in a query parameter", false, HttpMethod.Get, SomeJob + "?view=%00", null, BadRequest, "view");
        Raw("NUL in a query parameter", false, HttpMethod.Get, SomeJob + "/history?view=%00", null, BadRequest, "view");
        Raw("NUL in a query parameter", false, HttpMethod.Get, SomeJob + "/images/0?size=%00", null, BadRequest, "size");
        Raw("NUL in a query parameter", false, HttpMethod.Post, SomeJob + "/cancel?reason=%00", null, BadRequest, "reason");
        Raw("text/plain body", false, HttpMethod.Post, SomeJob + "/cancel", "stop", 415, "Content-Type", "text/plain");
        Raw("NUL in a query parameter", false, HttpMethod.Post, SomeJob + "/retry?reason=%00", null, BadRequest, "reason");
        Raw("text/plain body", false, HttpMethod.Post, SomeJob + "/retry", "again", 415, "Content-Type", "text/plain");

        // Operators' routes.
        Raw("NUL in a query parameter", true, HttpMethod.Get, "/api/admin/dead-letters?view=%00", null, BadRequest, "view");
        Raw("count as text", true, HttpMethod.Get, "/api/admin/dead-letters/job-state?count=abc", null, BadRequest, "count");
        Raw("count zero", true, HttpMethod.Get, "/api/admin/dead-letters/job-state?count=0", null, BadRequest, "count");
        Raw("count too large", true, HttpMethod.Get, "/api/admin/dead-letters/job-state?count=1000000", null, BadRequest, "count");
        Raw("a control character in the queue", true, HttpMethod.Get, "/api/admin/dead-letters/job%01state", null, BadRequest, "queue");
        Raw("count as text", true, HttpMethod.Post, "/api/admin/dead-letters/job-state/requeue?count=abc", null, BadRequest, "count");
        Raw("a space in the queue", true, HttpMethod.Post, "/api/admin/dead-letters/job%20state/requeue", null, BadRequest, "queue");
        Raw("count negative", true, HttpMethod.Post, "/api/admin/dead-letters/generate-images/discard?count=-1", null, BadRequest, "count");
        Raw("a slash-free queue with a quote", true, HttpMethod.Post, "/api/admin/dead-letters/generate'images/discard", null, BadRequest, "queue");
        Raw("NUL in a query parameter", true, HttpMethod.Get, "/api/admin/pauses?view=%00", null, BadRequest, "view");
        Raw("malformed JSON", true, HttpMethod.Post, "/api/admin/pauses", "{\"service\": ", BadRequest, "service");
        Raw("service as a number", true, HttpMethod.Post, "/api/admin/pauses", "{\"service\": 5}", BadRequest, "service");
        Raw("text/plain", true, HttpMethod.Post, "/api/admin/pauses", "ImageGenerator", 415, "Content-Type", "text/plain");
        Raw("an unknown service", true, HttpMethod.Post, "/api/admin/pauses", "{\"service\": \"Renderer\"}", BadRequest, "service");
        Raw("NUL in service", true, HttpMethod.Post, "/api/admin/pauses/resume", "{\"service\": \"Image\\u0000Generator\"}", BadRequest, "service");
        Raw("an unknown job type", true, HttpMethod.Post, "/api/admin/pauses/resume", "{\"service\": \"ImageGenerator\", \"jobType\": \"video\"}", BadRequest, "jobType");
        Raw("empty body", true, HttpMethod.Post, "/api/admin/pauses/resume", "", BadRequest, "body");
        Raw("from not a time", true, HttpMethod.Get, "/api/admin/failures?from=yesterday", null, BadRequest, "from");
        Raw("to before from", true, HttpMethod.Get, "/api/admin/failures?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", null, BadRequest, "to");
        Raw("to out of range", true, HttpMethod.Get, "/api/admin/failures?to=99999-01-01", null, BadRequest, "to");
        Raw("from as words", true, HttpMethod.Get, "/api/admin/costs?from=last%20week", null, BadRequest, "from");
        Raw("to before from", true, HttpMethod.Get, "/api/admin/costs?from=2026-12-02&to=2026-11-30", null, BadRequest, "to");
        Raw("from not a time", true, HttpMethod.Get, "/api/admin/export?from=2026-13-45", null, BadRequest, "from");
        Raw("to before from", true, HttpMethod.Get, "/api/admin/export?from=2026-12-02T10:00:00Z&to=2026-12-02T09:00:00Z", null, BadRequest, "to");

        // Schedules.
        void Schedules(string name, HttpMethod method, JsonNode body, string field, int status = BadRequest) =>
            Raw(name, false, method, method == HttpMethod.Post ? "/api/schedules" : SomeSchedule, body.ToJsonString(), status, field);
        Raw("malformed JSON", false, HttpMethod.Post, "/api/schedules", "{\"cron\": \"0 0 2 * * ?\",", BadRequest, "body");
        Schedules("enabled as text", HttpMethod.Post, Schedule(s => s["enabled"] = "yes"), "enabled");
        Schedules("NUL in name", HttpMethod.Post, Schedule(s => s["name"] = "night\u0000ly"), "name");
        Schedules("newline in name", HttpMethod.Post, Schedule(s => s["name"] = "night\nly"), "name");
        Schedules("a cron firing every second", HttpMethod.Post, Schedule(s => s["cron"] = "* * * * * ?"), "cron");
        Schedules("a cron firing twice a minute apart", HttpMethod.Post, Schedule(s => s["cron"] = "0,30 0 2 * * ?"), "cron");
        Schedules("not a cron", HttpMethod.Post, Schedule(s => s["cron"] = "every day"), "cron");
        Schedules("a cron too long", HttpMethod.Post, Schedule(s => s["cron"] = "0 0 2 * * ? " + new string(' ', 300)), "cron");
        Schedules("an unknown time zone", HttpMethod.Post, Schedule(s => s["timeZone"] = "Mars/Olympus"), "timeZone");
        Schedules("a loopback webhook in the template", HttpMethod.Post, Schedule(s => s["template"]!["callbackUrl"] = "http://127.0.0.1:15672/"), "template.callbackUrl");
        Schedules("the metadata address in the template", HttpMethod.Post, Schedule(s => s["template"]!["callbackUrl"] = "http://169.254.169.254/"), "template.callbackUrl");
        Schedules("NUL in the template's prompt", HttpMethod.Post, Schedule(s => s["template"]!["input"]!["basePrompt"] = "\u0000"), "template.input.basePrompt");
        Schedules("more pixels than a job may render", HttpMethod.Post, Schedule(s => s["template"]!["input"] = LargeInput(20)), "template.input");
        Schedules("no template", HttpMethod.Post, Schedule(s => s.Remove("template")), "template");
        Schedules("an unknown overlap", HttpMethod.Post, Schedule(s => s["overlap"] = "parallel"), "overlap");
        Raw("text/plain", false, HttpMethod.Post, "/api/schedules", Schedule().ToJsonString(), 415, "Content-Type", "text/plain");
        Raw("larger than the limit", false, HttpMethod.Post, "/api/schedules", Schedule(s => s["name"] = new string('n', 300 * 1024)).ToJsonString(), 413, "body");
        Raw("NUL in a query parameter", false, HttpMethod.Get, "/api/schedules?view=%00", null, BadRequest, "view");
        Raw("NUL in a query parameter", false, HttpMethod.Get, SomeSchedule + "?view=%00", null, BadRequest, "view");
        Schedules("enabled as text", HttpMethod.Put, Schedule(s => s["enabled"] = "yes"), "enabled");
        Schedules("NUL in cron", HttpMethod.Put, Schedule(s => s["cron"] = "0 0 2 * * ?\u0000"), "cron");
        Schedules("a cron firing every 10 seconds", HttpMethod.Put, Schedule(s => s["cron"] = "*/10 * * * * ?"), "cron");
        Raw("text/plain", false, HttpMethod.Put, SomeSchedule, Schedule().ToJsonString(), 415, "Content-Type", "text/plain");
        Raw("NUL in a query parameter", false, HttpMethod.Delete, SomeSchedule + "?view=%00", null, BadRequest, "view");
        Raw("text/plain body", false, HttpMethod.Delete, SomeSchedule, "bye", 415, "Content-Type", "text/plain");
        // Another user's job looks exactly like a missing one, and a job cannot wait on it.
        Submit("depending on another user's job", Job(j => j["dependsOn"] = new JsonArray(OthersJob)), "dependsOn[0]");
        Raw("another user's job", false, HttpMethod.Get, OthersJobPath, null, NotFound, "id");
        Raw("another user's job", false, HttpMethod.Get, OthersJobPath + "/history", null, NotFound, "id");
        Raw("another user's job", false, HttpMethod.Get, OthersJobPath + "/images/0", null, NotFound, "id");
        Raw("another user's job", false, HttpMethod.Post, OthersJobPath + "/cancel", null, NotFound, "id");
        Raw("another user's job", false, HttpMethod.Post, OthersJobPath + "/retry", null, NotFound, "id");
        return cases;
    }

    /// <summary>The route template a path is an instance of.</summary>
    public static string Route(string path)
    {
        var segments = path.Split('?')[0].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Guid.TryParse(segments[i], out _) || segments[i] == OthersJob ? "{id}"
                : i > 0 && segments[i - 1] == "images" ? "{index}"
                : i > 0 && segments[i - 1] == "dead-letters" ? "{queue}"
                : segments[i];
        }

        return string.Join('/', segments);
    }
}
