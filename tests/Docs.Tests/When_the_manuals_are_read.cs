namespace Workflow.Docs.Tests;

public sealed class When_the_manuals_are_read
{
    [Fact]
    public void Every_test_a_procedure_names_is_a_test_in_the_sources()
    {
        foreach (var path in Manuals.Paths)
        {
            AssertNoneWrong(path, Manuals.NamedTests(Manuals.Read(path)), t => !TestSources.HasTest(t.Class, t.Method),
                t => $"{t.Class}.{t.Method}", "names tests that do not exist");
        }
    }

    [Fact]
    public void Every_procedure_names_the_tests_that_perform_it()
    {
        foreach (var path in Manuals.Procedures)
        {
            AssertNoneWrong(path, Manuals.Sections(Manuals.Read(path)), s => Manuals.NamedTests(s.Body).Count == 0,
                s => s.Title, "has sections without an 'Exercised by:' line");
        }
    }

    [Fact]
    public void Every_route_a_manual_names_is_one_the_gateway_maps()
    {
        foreach (var path in Manuals.Paths)
        {
            AssertNoneWrong(path, Manuals.NamedRoutes(Manuals.Read(path)), r => !GatewayRoutes.Maps(r.Method, r.Path),
                r => $"{r.Method} {r.Path}".Trim(), "names routes the Gateway does not map");
        }
    }

    [Fact]
    public void The_checks_tell_a_missing_test_or_route_from_an_existing_one()
    {
        Assert.True(TestSources.HasTest("When_an_operator_pauses_a_stage", "An_unknown_service_is_a_400_naming_it"));
        Assert.False(TestSources.HasTest("When_an_operator_pauses_a_stage", "A_test_nobody_wrote"));
        Assert.False(TestSources.HasTest("When_nobody_wrote_this_scenario", "An_unknown_service_is_a_400_naming_it"));
        Assert.True(GatewayRoutes.Maps("POST", "/api/jobs/$ID/retry"));
        Assert.True(GatewayRoutes.Maps(null, "/api/admin/dead-letters/{queue}/requeue"));
        Assert.False(GatewayRoutes.Maps("DELETE", "/api/jobs/$ID/retry"));
        Assert.False(GatewayRoutes.Maps(null, "/api/admin/dead-letters/retry-everything/now"));
        Assert.Equal(
            [("POST", "/api/jobs/$ID/retry"), (null, "/api/admin/pauses")],
            Manuals.NamedRoutes("curl -s -X POST $GW/api/jobs/$ID/retry -H \"$ADMIN\"; curl -s \"$GW/api/admin/pauses?x=1\" http://127.0.0.1:15672/api/queues"));
        Assert.Equal([("When_a", "Then_b"), ("When_c", "Then_d")], Manuals.NamedTests("Exercised by: `When_a.Then_b`,\n`When_c.Then_d`\n\n`When_e.Then_f`"));
    }

    [Fact]
    public void The_asyncapi_document_is_yaml_with_the_messages_the_notifier_sends_and_handles()
    {
        var document = AsyncApiDocument.Parse(Manuals.Read("docs/asyncapi.yaml"));

        Assert.StartsWith("3.0", document.Version, StringComparison.Ordinal);
        Assert.NotEmpty(NotifierMessages.Sent);
        Assert.Equal(NotifierMessages.Sent.Order(StringComparer.Ordinal), document.MessageNames("send").Order(StringComparer.Ordinal));
        var received = document.MessageNames("receive");
        Assert.NotEmpty(received);
        Assert.All(received, type => Assert.True(NotifierMessages.Handles(type), $"the Notifier does not handle '{type}'"));
    }

    [Fact]
    public void The_protocol_page_has_a_section_for_every_message_the_notifier_sends()
    {
        var page = Manuals.Read("docs/websocket-protocol.md");

        Assert.All(NotifierMessages.Sent, type => Assert.Contains($"### `{type}`", page, StringComparison.Ordinal));
    }

    /// <summary>The manual names something (a check that found nothing would prove nothing), and nothing it names is wrong.</summary>
    static void AssertNoneWrong<T>(string path, IReadOnlyList<T> named, Func<T, bool> isWrong, Func<T, string> describe, string problem)
    {
        Assert.NotEmpty(named);
        var wrong = named.Where(isWrong).Select(describe).ToList();
        Assert.True(wrong.Count == 0, $"{path} {problem}: {string.Join(", ", wrong)}");
    }
}
