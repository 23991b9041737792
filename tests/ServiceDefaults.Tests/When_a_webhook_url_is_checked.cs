using System.Net;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Webhooks;
using Workflow.TestKit;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_a_webhook_url_is_checked
{
    static WebhookTargets Targets(params string[] allowed)
    {
        var hosts = new HostTable();
        hosts.Addresses["public.test"] = [IPAddress.Parse("93.184.215.14")];
        hosts.Addresses["inside.test"] = [IPAddress.Parse("192.168.7.7")];
        return new WebhookTargets(Options.Create(new WebhookTargetOptions { AllowedHosts = [.. allowed] }), hosts);
    }

    [Theory]
    [InlineData("https://public.test/hooks", null)]
    [InlineData("http://93.184.215.14:8080/hooks?x=1", null)]
    [InlineData("https://inside.test/hooks", "not public")]
    [InlineData("http://0x7f.1/", "not public")]
    [InlineData("http://127。0。0。1/", "not public")]
    [InlineData("http://[fe80::1%25eth0]/", "not public")]
    [InlineData("http://localhost/", "not public")]
    [InlineData("http://a.b.localhost./", "not public")]
    [InlineData("https://user:pass@public.test/", "no user name or password")]
    [InlineData("gopher://public.test/", "http or https")]
    [InlineData("//public.test/", "http or https")]
    public async Task Its_form_and_the_addresses_of_its_host_decide(string url, string? refusal)
    {
        var reason = await Targets().CheckAsync(url, CancellationToken.None);

        if (refusal is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(refusal, reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://hooks.internal/", true)]
    [InlineData("https://HOOKS.internal.:8443/x", true)]
    [InlineData("http://10.1.2.3:8443/", true)]
    [InlineData("http://10.1.2.3:8444/", false)]
    [InlineData("http://[::1]:9000/", true)]
    [InlineData("http://[::1]:9001/", false)]
    [InlineData("http://127.0.0.1/", false)]
    public void An_allow_listed_host_or_host_and_port_passes(string url, bool passes)
    {
        var targets = Targets("hooks.internal", "10.1.2.3:8443", "[::1]:9000");

        Assert.Equal(passes, targets.CheckForm(url) is null);
    }
}
