using System.Text;

namespace DisaggServing.Worker.Observability.Prometheus;

/// <summary>A value that goes up and down.</summary>
public sealed class GaugeMetric : IMetric
{
    private readonly string _help;
    private long _bits;

    internal GaugeMetric(string name, string help)
    {
        PrometheusText.CheckName(name);
        Name = name;
        _help = help;
    }

    public string Name { get; }

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Write(StringBuilder text, string staticLabels)
    {
        PrometheusText.Header(text, Name, _help, "gauge");
        text.Append(Name).Append(PrometheusText.Labels(staticLabels, null)).Append(' ').Append(PrometheusText.Value(Value)).Append('\n');
    }
}
