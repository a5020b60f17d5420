using System.Collections.Concurrent;
using System.Text;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>A monotonic counter, optionally split by one label (<see cref="WithLabels"/>).</summary>
public sealed class CounterMetric : IMetric
{
    private readonly string _help;
    private readonly string? _labelName;
    private readonly ConcurrentDictionary<string, CounterMetric> _children = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CounterMetric? _parent;
    private readonly string? _labelValue;
    private double _value;

    internal CounterMetric(string name, string help, string? labelName, CounterMetric? parent = null, string? labelValue = null)
    {
        _parent = parent;
        _labelValue = labelValue;
        PrometheusText.CheckName(name);
        if (labelName is not null)
            PrometheusText.CheckLabel(labelName);
        Name = name;
        _help = help;
        _labelName = labelName;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Called with every increment and the series' label value (mirrors the counter into OpenTelemetry).</summary>
    public Action<double, string?>? Recorded { get; set; }

    /// <summary>The current count (of the unlabelled series, or of this labelled series).</summary>
    public double Value
    {
        get
        {
            lock (_gate)
                return _value;
        }
    }

    /// <summary>Adds <paramref name="amount"/>.</summary>
    /// <param name="amount">How much to add; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public void Inc(double amount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        lock (_gate)
            _value += amount;
        Notify(amount);
    }

    /// <summary>Raises the counter to <paramref name="target"/> (mirrors a cumulative count kept elsewhere); never lowers it.</summary>
    /// <param name="target">The cumulative count to reach.</param>
    public void IncTo(double target)
    {
        double delta;
        lock (_gate)
        {
            delta = Math.Max(0, target - _value);
            _value += delta;
        }
        if (delta > 0)
            Notify(delta);
    }

    /// <summary>The series with this value of the counter's label.</summary>
    /// <param name="labelValue">The label's value.</param>
    /// <exception cref="InvalidOperationException">The counter was registered without a label.</exception>
    public CounterMetric WithLabels(string labelValue)
    {
        if (_labelName is null)
            throw new InvalidOperationException($"Counter '{Name}' has no label.");
        return _children.GetOrAdd(labelValue, v => new CounterMetric(Name, _help, null, this, v));
    }

    private void Notify(double amount) => (_parent ?? this).Recorded?.Invoke(amount, _labelValue);

    /// <inheritdoc />
    public void Write(StringBuilder text, string staticLabels) =>
        PrometheusText.Samples(text, Name, _help, "counter", staticLabels, _labelName, Value,
            _children.Select(c => KeyValuePair.Create(c.Key, c.Value.Value)));
}
