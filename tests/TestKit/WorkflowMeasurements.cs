using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Workflow.ServiceDefaults;

namespace Workflow.TestKit;

/// <summary>
/// What the <c>Workflow</c> meter's instruments record while it is alive, as a <see cref="MeterListener"/> sees it.
/// The instruments are process-wide and specs run in parallel: a spec finds its own measurements by a tag value
/// only it uses.
/// </summary>
public sealed class WorkflowMeasurements : IDisposable
{
    readonly MeterListener listener = new();
    readonly ConcurrentQueue<Measured> measured = new();

    public WorkflowMeasurements()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkflowTelemetry.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/>, in the order they were taken.</summary>
    public IReadOnlyList<Measured> Of(string instrument) => [.. measured.Where(m => m.Instrument == instrument)];

    /// <summary>The measurements of <paramref name="instrument"/> whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public IReadOnlyList<Measured> Of(string instrument, string tag, object value) =>
        [.. measured.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value))];

    /// <summary>Asks observable instruments (gauges) for their values now.</summary>
    public void Observe() => listener.RecordObservableInstruments();

    public void Dispose() => listener.Dispose();

    void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var byName = new Dictionary<string, object?>(tags.Length);
        foreach (var (key, tagValue) in tags)
        {
            byName[key] = tagValue;
        }

        measured.Enqueue(new Measured(instrument.Name, value, byName));
    }

    /// <summary>One recorded value with its tags.</summary>
    public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
