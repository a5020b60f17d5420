using System.Collections.Concurrent;
using System.Text;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>A value that goes up and down, optionally split by one label (<see cref="WithLabels"/>).</summary>
public sealed class GaugeMetric : IMetric
{
    private readonly string _help;
    private readonly string? _labelName;
    private readonly ConcurrentDictionary<string, GaugeMetric> _children = new(StringComparer.Ordinal);
    private long _bits;

    internal GaugeMetric(string name, string help, string? labelName = null)
    {
        PrometheusText.CheckName(name);
        if (labelName is not null)
            PrometheusText.CheckLabel(labelName);
        Name = name;
        _help = help;
        _labelName = labelName;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The current value (of the unlabelled series).</summary>
    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    /// <summary>Sets the value.</summary>
    /// <param name="value">The new value.</param>
    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>The series with this value of the gauge's label.</summary>
    /// <param name="labelValue">The label's value.</param>
    /// <exception cref="InvalidOperationException">The gauge was registered without a label.</exception>
    public GaugeMetric WithLabels(string labelValue)
    {
        if (_labelName is null)
            throw new InvalidOperationException($"Gauge '{Name}' has no label.");
        return _children.GetOrAdd(labelValue, _ => new GaugeMetric(Name, _help));
    }

    /// <inheritdoc />
    public void Write(StringBuilder text, string staticLabels) =>
        PrometheusText.Samples(text, Name, _help, "gauge", staticLabels, _labelName, Value,
            _children.Select(c => KeyValuePair.Create(c.Key, c.Value.Value)));
}
