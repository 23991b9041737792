using System.Diagnostics;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>Runs <c>infra/dev.sh</c> as a spec needs it: fails the spec with its output when it fails, else returns its output.</summary>
public static class DevScript
{
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, "infra", "dev.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await errors;
        Assert.True(process.ExitCode == 0, $"infra/dev.sh {string.Join(' ', arguments)} failed:\n{all}");
        return all;
    }
}
