using System.Text;

namespace DisaggServing.Worker.Observability.Prometheus;

/// <summary>One metric family in a <see cref="MetricRegistry"/>.</summary>
public interface IMetric
{
    string Name { get; }

    /// <summary>Appends the family in Prometheus text format; <paramref name="staticLabels"/> is "" or <c>a="x",b="y"</c>.</summary>
    void Write(StringBuilder text, string staticLabels);
}
