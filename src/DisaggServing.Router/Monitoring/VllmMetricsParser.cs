using System.Globalization;
using DisaggServing.Protocol;
using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Monitoring;

/// <summary>
/// Reads the load gauges from a vLLM <c>/metrics</c> page (Prometheus text format): <c>vllm:num_requests_waiting</c>,
/// <c>vllm:num_requests_running</c> and <c>vllm:kv_cache_usage_perc</c>, summed over their label sets (KV usage averaged).
/// </summary>
public static class VllmMetricsParser
{
    /// <summary>The load in <paramref name="text"/>; absent gauges read 0.</summary>
    public static EndpointLoad Parse(ReadOnlySpan<char> text)
    {
        double waiting = 0, running = 0, kv = 0;
        var kvSeries = 0;
        foreach (var range in text.Split('\n'))
        {
            var line = text[range].Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            var nameEnd = line.IndexOfAny('{', ' ');
            if (nameEnd <= 0) continue;
            var name = line[..nameEnd];
            var which = name.SequenceEqual(MetricNames.NumRequestsWaiting) ? 0
                : name.SequenceEqual(MetricNames.NumRequestsRunning) ? 1
                : name.SequenceEqual(MetricNames.KvCacheUsagePerc) ? 2
                : -1;
            if (which < 0 || !TryReadValue(line[nameEnd..], out var value)) continue;
            switch (which)
            {
                case 0: waiting += value; break;
                case 1: running += value; break;
                default: kv += value; kvSeries++; break;
            }
        }
        return new EndpointLoad(waiting, running, kvSeries == 0 ? 0 : kv / kvSeries);
    }

    private static bool TryReadValue(ReadOnlySpan<char> rest, out double value)
    {
        value = 0;
        if (!rest.IsEmpty && rest[0] == '{')
        {
            var inQuotes = false;
            var end = -1;
            for (var i = 1; i < rest.Length && end < 0; i++)
            {
                if (rest[i] == '\\' && inQuotes) i++;
                else if (rest[i] == '"') inQuotes = !inQuotes;
                else if (rest[i] == '}' && !inQuotes) end = i;
            }
            if (end < 0) return false;
            rest = rest[(end + 1)..];
        }
        rest = rest.TrimStart();
        var space = rest.IndexOf(' ');
        var number = space < 0 ? rest : rest[..space];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
