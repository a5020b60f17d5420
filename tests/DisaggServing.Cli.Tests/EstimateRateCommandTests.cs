using System.Text.Json;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Cli.Tests;

public class EstimateRateCommandTests
{
    private const string Base = $"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --isl 128 --osl 64";

    private static (CliRun Run, FakeEngineRunner Engine) Estimate(string commandLine, FakeEngineRunner? engine = null)
    {
        engine ??= new FakeEngineRunner();
        return (CliRun.Of(engine, CliRun.Args(commandLine)), engine);
    }

    [Fact]
    public void Request_rate_sends_the_requests_open_loop_measuring_every_one()
    {
        var (run, engine) = Estimate($"{Base} --request-rate 2.5 --requests 300");
        Assert.True(run.ExitCode == 0, run.ToString());
        var options = engine.EstimateOptions!;
        Assert.Equal((2.5, 1.0, 300), (options.RequestRate, options.Burstiness, options.Requests));
        Assert.Null(options.Concurrency);
        Assert.Equal(MeasureWindow.All, options.Measure);
    }

    [Fact]
    public void Concurrency_with_a_rate_is_the_cap_on_requests_in_flight_and_burstiness_shapes_the_gaps()
    {
        var (run, engine) = Estimate($"{Base} --request-rate 8 --concurrency 16 --burstiness 0.5 --requests 100 --measure all");
        Assert.True(run.ExitCode == 0, run.ToString());
        var options = engine.EstimateOptions!;
        Assert.Equal((8.0, 0.5, 16), (options.RequestRate, options.Burstiness, options.Concurrency));
    }

    [Theory]
    [InlineData("--request-rate 0 --requests 10", "--request-rate")]
    [InlineData("--request-rate -1 --requests 10", "--request-rate")]
    [InlineData("--request-rate fast --requests 10", "--request-rate")]
    [InlineData("--request-rate 2 --offline --requests 10", "--offline")]
    [InlineData("--request-rate 2 --requests 10 --measure steady", "--measure")]
    [InlineData("--request-rate 2 --requests 10 --burstiness 0", "--burstiness")]
    [InlineData("--concurrency 4 --burstiness 2", "--request-rate")]
    [InlineData("--offline --requests 10 --burstiness 2", "--request-rate")]
    [InlineData("--offline --requests 10 --measure steady", "--measure")]
    [InlineData("--offline --requests 10 --measure from-start", "--measure")]
    [InlineData("--concurrency 4 --measure cold", "--measure")]
    public void Bad_rate_input_exits_2_naming_the_option(string load, string named)
    {
        var (run, engine) = Estimate($"{Base} {load}");
        EstimateCommandTests.AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public void Json_says_the_mode_rate_and_the_peak_in_flight()
    {
        var run = CliRun.Of(null, CliRun.Args(
            "estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --dtype fp8 --isl 256 --osl 32 --request-rate 50 --concurrency 4 --requests 40 --json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("rate", root.GetProperty("mode").GetString());
        Assert.Equal(50, root.GetProperty("request_rate").GetDouble());
        Assert.Equal(1, root.GetProperty("burstiness").GetDouble());
        Assert.Equal(4, root.GetProperty("concurrency").GetInt32());
        Assert.Equal("all", root.GetProperty("measure").GetString());
        Assert.Equal(40, root.GetProperty("requests").GetInt32());
        Assert.InRange(root.GetProperty("peak_in_flight").GetInt32(), 1, 4);
    }

    [Fact]
    public void Closed_loop_json_has_no_rate_fields()
    {
        var (run, _) = Estimate($"{Base} --concurrency 8 --json");
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.False(root.TryGetProperty("request_rate", out _));
        Assert.False(root.TryGetProperty("burstiness", out _));
        Assert.False(root.TryGetProperty("peak_in_flight", out _));
    }

    [Fact]
    public void Table_names_the_rate_burstiness_and_cap()
    {
        var engine = new FakeEngineRunner { EstimateResult = Samples.Estimate() with { Mode = "rate", RequestRate = 2.5, Burstiness = 0.5, Concurrency = 16, Requests = 100, Measure = "all", PeakInFlight = 13 } };
        var (run, _) = Estimate($"{Base} --request-rate 2.5 --burstiness 0.5 --concurrency 16 --requests 100", engine);
        Assert.Equal(0, run.ExitCode);
        // The table wraps a long cell, so each part is looked for on its own.
        Assert.Contains("rate 2.5/s,", run.Stdout);
        Assert.Contains("burstiness 0.5,", run.Stdout);
        Assert.Contains("16 in flight", run.Stdout);
        Assert.Matches(@"peak in flight\s+│\s+13 │", run.Stdout);
    }
}
