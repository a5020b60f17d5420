using System.Text;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>One metric family in a <see cref="MetricRegistry"/>.</summary>
public interface IMetric
{
    /// <summary>The family's name (colons allowed, as in <c>vllm:num_requests_running</c>).</summary>
    string Name { get; }

    /// <summary>Appends the family in Prometheus text format; <paramref name="staticLabels"/> is "" or <c>a="x",b="y"</c>.</summary>
    /// <param name="text">Where the family is written.</param>
    /// <param name="staticLabels">Labels put first on every sample, already formatted and escaped.</param>
    void Write(StringBuilder text, string staticLabels);
}
