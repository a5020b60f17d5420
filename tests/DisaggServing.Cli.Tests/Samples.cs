using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;

namespace DisaggServing.Cli.Tests;

/// <summary>Constructed engine results, so output tests do not depend on the engine's numbers.</summary>
internal static class Samples
{
    public const string Model = "meta-llama/Llama-3.1-8B-Instruct";
    public const string Gpu = "h100-sxm";

    public static EstimateResult Estimate(bool fits = true) => new()
    {
        Model = Model,
        Gpu = Gpu,
        Tp = 1,
        Pp = 1,
        Dtype = "fp8",
        KvCacheDtype = "fp8",
        Mode = "concurrency",
        Concurrency = 25,
        Requests = 100,
        Isl = 5000,
        Osl = 500,
        Fits = fits,
        FitError = fits ? null : "weights need 140.2 GiB per GPU but 71.3 GiB are usable; use --tp 4 or more.",
        WeightsGibPerGpu = 8.5,
        KvCacheTokens = 450_000,
        TtftMs = fits ? 210.5 : null,
        ItlMs = fits ? 9.8 : null,
        TpotMs = fits ? 9.7 : null,
        E2eMs = fits ? 5050.1 : null,
        OutputTokensPerSecond = fits ? 2400 : null,
        RequestsPerSecond = fits ? 4.8 : null,
        Preemptions = 0,
        SimulatedSeconds = 21,
        WallSeconds = 0.4,
    };

    public static SimulationReport Report() => new()
    {
        Requests = 50,
        Completed = 50,
        TtftMs = new LatencySummary(50, 120, 110, 180, 200, 260, 300),
        TpotMs = new LatencySummary(50, 20, 19, 25, 27, 30, 33),
        ItlMs = new LatencySummary(6300, 20, 19, 26, 28, 31, 40),
        E2eMs = new LatencySummary(50, 2600, 2500, 3300, 3500, 3900, 4100),
        Slo = new SloSpec(200, 50),
        SloAttainment = 0.92,
        GoodputRps = 4.6,
        OutputTokensPerSecond = 640,
        RequestsPerSecond = 5,
        SimulatedSeconds = 10,
        WallSeconds = 0.2,
        KvTransfers = 50,
        MeanKvTransferMs = 3.5,
        Extra = new() { ["probe_rates_rps"] = new[] { 2.0, 4.0, 5.0 }, ["note"] = "[bracketed] text" },
    };
}
