using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Telemetry;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.KvTransfer.Http;

/// <summary>The read-only JSON views: <c>GET /engines[?role=&amp;model=]</c> and <c>GET /stats</c> (snake_case).</summary>
internal static class JsonViewEndpoints
{
    public static IEndpointRouteBuilder MapJsonViews(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/engines", (string? role, string? model, EngineRegistry registry, KvBlockIndex index) =>
            Results.Json(Engines(registry, index, role, model), JsonDefaults.Options));
        endpoints.MapGet("/stats", (EngineRegistry registry, KvBlockIndex index, TelemetryAggregator telemetry) =>
            Results.Json(Stats(registry, index, telemetry), JsonDefaults.Options));
        return endpoints;
    }

    public static EnginesView Engines(EngineRegistry registry, KvBlockIndex index, string? role, string? model) =>
        new(registry.List(role, model).Select(e => new EngineView(
            e.Engine.EngineId, e.Engine.Role, e.Engine.Model, e.Engine.Node, e.Engine.GpuIndices, e.Engine.TpSize,
            e.Engine.HttpAddress, e.Engine.KvHost, e.Engine.KvPort, e.Engine.BlockSize,
            new EngineLoadView(e.Load.Waiting, e.Load.Running, e.Load.KvUsage, e.Load.OpenLeases),
            e.SinceHeartbeat.TotalSeconds,
            index.BlockCount(e.Engine.EngineId) ?? 0)).ToArray());

    public static StatsView Stats(EngineRegistry registry, KvBlockIndex index, TelemetryAggregator telemetry)
    {
        var t = telemetry.Snapshot();
        return new StatsView(
            registry.List().Count, index.IndexedBlocks, index.DistinctBlocks,
            t.Transfers, t.FailedTransfers, t.Bytes, t.TransferSeconds,
            t.Durations.Mean, t.Durations.Quantile(0.5), t.Durations.Quantile(0.99),
            t.LeasesGranted, t.LeasesExtended, t.LeasesReleased, t.LeasesExpired, t.OpenLeases, t.LeasedBlocks);
    }
}
