using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Testing.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Options_become_the_apphost_command_line_with_the_users_settings_last()
    {
        var options = new DisaggTestOptions { SpeedFactor = 8, RouterPort = 18123, LeaseSeconds = null };
        options.Settings["Topology:Pools:1:Replicas"] = "3";
        options.Settings["Topology:Local:SpeedFactor"] = "2";

        Assert.Equal(
            ["--Topology:Local:SpeedFactor=8", "--Topology:Router:Port=18123", "--Topology:Pools:1:Replicas=3", "--Topology:Local:SpeedFactor=2"],
            options.ToArgs());
    }

    [Theory]
    [InlineData("SpeedFactor")]
    [InlineData("RouterPort")]
    [InlineData("StartTimeout")]
    [InlineData("Settings")]
    public void A_bad_option_is_refused_naming_it(string name)
    {
        var options = new DisaggTestOptions();
        switch (name)
        {
            case "SpeedFactor": options.SpeedFactor = 0; break;
            case "RouterPort": options.RouterPort = 70000; break;
            case "StartTimeout": options.StartTimeout = TimeSpan.Zero; break;
            default: options.Settings["--Topology:Router:Port"] = "1"; break;
        }

        var error = Assert.Throws<ArgumentException>(options.ToArgs);
        Assert.Contains($"DisaggTestOptions.{name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_needs_an_arrival_process_and_an_end()
    {
        var noArrivals = new LoadSpec { Workload = WorkloadSpec.Fixed(64, 8), Requests = 4 };
        Assert.Contains("Rate (open loop) or Concurrency (closed loop)", Assert.Throws<ArgumentException>(() => noArrivals.Validate()).Message, StringComparison.Ordinal);

        var noEnd = new LoadSpec { Workload = WorkloadSpec.Fixed(64, 8), Rate = 2 };
        Assert.Contains("Requests or DurationSeconds", Assert.Throws<ArgumentException>(() => noEnd.Validate()).Message, StringComparison.Ordinal);

        var both = noEnd with { Concurrency = 2, Requests = 4 };
        Assert.Contains("exclude each other", Assert.Throws<ArgumentException>(() => both.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_becomes_the_bench_settings_of_disagg_bench()
    {
        var load = new LoadSpec { Workload = WorkloadSpec.ShareGpt, Concurrency = 3, DurationSeconds = 5, Slo = new SloSpec(100, 10), Chat = true, Seed = 7 };

        var settings = load.ToBenchSettings(new Uri("http://127.0.0.1:9000"), "m");

        Assert.Equal(new Uri("http://127.0.0.1:9000/v1/chat/completions"), settings.Endpoint);
        Assert.Equal(("closed-loop", 3, 5.0, 7, true), (settings.LoadMode, settings.Concurrency!.Value, settings.DurationSeconds!.Value, settings.Seed, settings.Stream));
        Assert.Equal(load.Slo, settings.Slo);
    }
}
