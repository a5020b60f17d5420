using DisaggServing.Cli.Bench;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Tests;

/// <summary>The plot's data (pure) and its rendering, on synthetic outcomes; the command itself is in BenchCommandTests.</summary>
public sealed class BenchPlotTests
{
    internal static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(7, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(25_000, 1000)]
    [InlineData(25_000, 2)]
    public void Cdf_is_monotone_spans_the_samples_and_ends_at_1(int samples, int maxPoints)
    {
        var random = new Random(samples);
        var values = Enumerable.Range(0, samples).Select(_ => random.NextDouble() * 500).ToArray();

        var cdf = BenchPlotData.Cdf("TTFT", values, maxPoints);

        Assert.Equal(samples, cdf.Count);
        Assert.Equal(Math.Min(samples, maxPoints), cdf.Ms.Length);
        Assert.Equal(cdf.Ms.Length, cdf.Fraction.Length);
        for (var i = 1; i < cdf.Ms.Length; i++)
        {
            Assert.True(cdf.Ms[i - 1] <= cdf.Ms[i], $"x not sorted at {i}");
            Assert.True(cdf.Fraction[i - 1] < cdf.Fraction[i], $"y not increasing at {i}");
        }

        Assert.All(cdf.Fraction, f => Assert.InRange(f, 0, 1));
        Assert.Equal(1.0, cdf.Fraction[^1]);
        Assert.Equal(values.Min(), cdf.Ms[0]);
        Assert.Equal(values.Max(), cdf.Ms[^1]);
    }

    [Fact]
    public void Cdf_of_exact_values_steps_by_one_over_n()
    {
        var cdf = BenchPlotData.Cdf("E2E", [30, 10, 20, 40]);
        Assert.Equal([10, 20, 30, 40], cdf.Ms);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], cdf.Fraction);
    }

    [Fact]
    public void Cdf_of_nothing_is_empty()
    {
        var cdf = BenchPlotData.Cdf("ITL", []);
        Assert.Equal(0, cdf.Count);
        Assert.Empty(cdf.Ms);
        Assert.Empty(cdf.Fraction);
    }

    [Fact]
    public void Thinning_the_timeline_keeps_the_spikes()
    {
        var points = Enumerable.Range(0, 10_000).Select(i => new TimelinePoint(i * 0.01, i == 4321 ? 9_999 : 50 + i % 7)).ToArray();

        var kept = BenchPlotData.Thin(points, 400);

        Assert.InRange(kept.Length, 300, 400);
        Assert.Contains(points[4321], kept);
        Assert.Contains(kept, p => p.TtftMs == 50);
        Assert.Contains(kept, p => p.TtftMs is > 50 and < 56);
        Assert.True(kept.Zip(kept.Skip(1)).All(pair => pair.First.StartSeconds < pair.Second.StartSeconds), "not in time order");
        Assert.Same(points, BenchPlotData.Thin(points, points.Length));
    }

    [Fact]
    public void Plot_data_splits_successes_from_failures_and_carries_the_slo()
    {
        var outcomes = new[]
        {
            new BenchOutcome(0.5, null, 8, 4, 0.020, 0.050, [0.01, 0.01, 0.01]),
            BenchOutcome.Failed(0.1, "500", 8),
            new BenchOutcome(0.2, null, 8, 4, 0.030, 0.060, [0.01, 0.01, 0.01]),
        };
        var settings = Settings(stream: true, new SloSpec(25, 40));

        var data = BenchPlotData.From(BenchReport.Build(settings, outcomes, 1), outcomes);

        Assert.Equal(["TTFT", "TPOT", "ITL", "E2E"], data.Cdfs.Select(c => c.Name));
        Assert.Equal([2L, 2L, 6L, 2L], data.Cdfs.Select(c => c.Count));
        Assert.Equal([0.2, 0.5], data.Successes.Select(p => p.StartSeconds));
        Assert.Equal(30, data.Successes[0].TtftMs, 9);
        Assert.Equal([0.1], data.Failures.Select(p => p.StartSeconds));
        Assert.Equal(1, data.FailureCount);
        Assert.Equal(25, data.SloTtftMs);
        Assert.Equal(40, data.SloTpotMs);
        Assert.Contains("fixed:8:4", data.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_a_png_even_for_a_run_without_requests_or_streaming()
    {
        var settings = Settings(stream: false, SloSpec.None);
        foreach (var outcomes in new[] { Array.Empty<BenchOutcome>(), [new BenchOutcome(0, null, 8, 4, 0.04, 0.04, [])] })
        {
            var data = BenchPlotData.From(BenchReport.Build(settings, outcomes, 1), outcomes);
            Assert.Equal(PngSignature, BenchPlotRenderer.Png(data).Take(8));
            Assert.StartsWith("<svg", BenchPlotRenderer.CdfSvg(data), StringComparison.Ordinal);
            Assert.StartsWith("<svg", BenchPlotRenderer.TimelineSvg(data), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inline_svg_drops_the_xml_header_and_namespaces_scales_and_keeps_ids_its_own()
    {
        const string skia = """
            <?xml version="1.0" encoding="utf-8" ?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="400">
            <clipPath id="cl_4"><rect width="10" height="10"/></clipPath><g clip-path="url(#cl_4)">
            <text font-size="12" font-family="DejaVu Sans" x="-3.5, 1.5, " y="9.8, ">0.1</text></g></svg>
            """;

        var svg = BenchPlotRenderer.InlineSvg(skia, "cdf-");

        Assert.StartsWith("""<svg viewBox="0 0 600 400" width="600" height="400" """, svg, StringComparison.Ordinal);
        Assert.DoesNotContain("http", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", svg, StringComparison.Ordinal);
        Assert.Contains("""font-family="DejaVu Sans, sans-serif" x="-3.5, 1.5" y="9.8">""", svg, StringComparison.Ordinal);
        Assert.Contains("""<clipPath id="cdf-cl_4">""", svg, StringComparison.Ordinal);
        Assert.Contains("""clip-path="url(#cdf-cl_4)">""", svg, StringComparison.Ordinal);
    }

    private static BenchSettings Settings(bool stream, SloSpec slo) => new()
    {
        Url = new Uri("http://localhost:8000"),
        Model = "m",
        Workload = WorkloadSpec.Parse("fixed:8:4"),
        Concurrency = 2,
        Requests = 3,
        Stream = stream,
        Slo = slo,
    };
}
