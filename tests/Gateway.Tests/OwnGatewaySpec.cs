namespace Workflow.Gateway.Tests;

/// <summary>A spec with a Gateway of its own, configured with the settings it passes.</summary>
public abstract class OwnGatewaySpec : IDisposable
{
    protected OwnGatewaySpec(params (string Key, string Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
    }

    protected readonly GatewayFactory factory = new();

    public void Dispose()
    {
        factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
