using System.Net;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Webhooks;
using Workflow.TestKit;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_an_address_is_judged_for_a_webhook
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b:1::8.8.8.8")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:808:808::1")]
    public void One_that_is_not_public_is_refused(string address) =>
        Assert.False(NetworkAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("223.255.255.254")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82b::200e")]
    public void A_public_one_is_allowed(string address) =>
        Assert.True(NetworkAddresses.IsPublic(IPAddress.Parse(address)));
}

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
