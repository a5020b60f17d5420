using System.Text.Json;
using DisaggServing.Cli.Output;
using DisaggServing.Engine.Metrics;

namespace DisaggServing.Cli.Tests;

public class OutputTests
{
    [Fact]
    public void Estimate_json_has_every_field_in_snake_case()
    {
        using var json = JsonDocument.Parse(JsonOutput.Serialize(Samples.Estimate()));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var name in new[] { "model", "gpu", "tp", "pp", "dtype", "kv_cache_dtype", "mode", "concurrency", "requests", "isl", "osl",
                     "fits", "weights_gib_per_gpu", "kv_cache_tokens", "max_running_requests", "ttft_ms", "itl_ms", "tpot_ms", "e2e_ms", "output_tokens_per_s",
                     "requests_per_s", "preemptions", "simulated_seconds", "wall_seconds" })
        {
            Assert.Contains(name, names);
        }
    }

    [Fact]
    public void Estimate_json_writes_a_nan_rather_than_failing()
    {
        var text = JsonOutput.Serialize(Samples.Estimate() with { TtftMs = double.NaN });
        Assert.Contains("\"ttft_ms\": \"NaN\"", text);
    }

    [Theory]
    [InlineData(-0.0004, "+0.0%")]
    [InlineData(0.0004, "+0.0%")]
    [InlineData(-0.04, "-4.0%")]
    [InlineData(0.1234, "+12.3%")]
    public void A_signed_error_prints_one_sign_and_an_error_that_rounds_to_zero_prints_plus_zero(double error, string expected) =>
        Assert.Equal(expected, Cells.SignedPercent(error));

    [Fact]
    public void Estimate_table_renders_an_offline_result_that_does_not_fit()
    {
        using var writer = new StringWriter();
        EstimateTable.Write(writer, Samples.Estimate(fits: false) with { Mode = "offline", Concurrency = null });
        var text = writer.ToString();
        Assert.Contains("offline, 100 requests", text);
        Assert.Matches(@"fits\s+│\s+no\s+│", text);
        Assert.Contains(Cells.Missing, text);
    }

    [Fact]
    public void Simulation_table_renders_an_empty_report()
    {
        using var writer = new StringWriter();
        SimulationTable.Write(writer, new SimulationReport(), "[nothing] ran");
        var text = writer.ToString();
        Assert.StartsWith("[nothing] ran", text);
        Assert.Contains("none", text);
        Assert.DoesNotContain("KV transfers", text);
    }

    [Fact]
    public void Simulation_table_shows_extras_read_back_from_json()
    {
        var report = SimulationReport.FromJson(Samples.Report().ToJson());
        using var writer = new StringWriter();
        SimulationTable.Write(writer, report, "round trip");
        Assert.Contains("probe_rates_rps", writer.ToString());
        Assert.Contains("[2,4,5]", writer.ToString());
    }
}
