using DisaggServing.Protocol.OpenAi;
using System.Text.Json;
using DisaggServing.Worker.Api;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;
using DisaggServing.Worker.Hosting;

namespace DisaggServing.Worker.Admin;

/// <summary>
/// Hooks for the dashboard and tests: <c>POST /admin/faults</c> ({"fail_next_kv_transfer": true} |
/// {"link_slowdown": 10.0} | {"crash": true}, combinable) and <c>GET /admin/state</c>.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/state", (HttpContext context, WorkerSettings settings, EngineHost engine, WorkerEndpoints endpoints, FaultState faults, WorkerDrain drain) =>
            ApiResponses.WriteJsonAsync(context.Response, State(settings, engine, endpoints, faults) with { InFlight = drain.InFlight, Draining = drain.IsDraining }));

        app.MapPost("/admin/faults", async (HttpContext context, WorkerSettings settings, EngineHost engine, WorkerEndpoints endpoints,
            FaultState faults, ICrashAction crash, ILoggerFactory loggers) =>
        {
            var body = await RequestBody.ReadAsync<Dictionary<string, JsonElement>>(context.Request).ConfigureAwait(false);
            var crashRequested = false;
            bool? failNext = null;
            double? slowdown = null;
            foreach (var property in body)
            {
                switch (property.Key)
                {
                    case "fail_next_kv_transfer":
                        failNext = Bool(property.Key, property.Value);
                        break;
                    case "link_slowdown":
                        if (property.Value.ValueKind != JsonValueKind.Number || !(property.Value.GetDouble() > 0) || !double.IsFinite(property.Value.GetDouble()))
                            throw OpenAiException.BadRequest("link_slowdown must be a positive number (1 = no slowdown).", "link_slowdown");
                        slowdown = property.Value.GetDouble();
                        break;
                    case "crash":
                        crashRequested = Bool(property.Key, property.Value);
                        break;
                    default:
                        throw OpenAiException.BadRequest($"Unknown fault '{property.Key}'; use fail_next_kv_transfer, link_slowdown or crash.", property.Key);
                }
            }
            if (failNext is { } arm)
                faults.ArmFailNextTransfer(arm);
            if (slowdown is { } s)
                faults.LinkSlowdown = s;
            loggers.CreateLogger(typeof(AdminEndpoints)).LogWarning(
                "Faults on {EngineId}: fail_next_kv_transfer={Fail} link_slowdown={Slowdown} crash={Crash}",
                settings.EngineId, faults.FailNextTransferArmed, faults.LinkSlowdown, crashRequested);
            if (crashRequested)
                context.Response.OnCompleted(() =>
                {
                    crash.Crash();
                    return Task.CompletedTask;
                });
            await ApiResponses.WriteJsonAsync(context.Response, State(settings, engine, endpoints, faults)).ConfigureAwait(false);
        });
        return app;
    }

    private static bool Bool(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw OpenAiException.BadRequest($"{name} must be true or false.", name),
    };

    private static WorkerState State(WorkerSettings settings, EngineHost engine, WorkerEndpoints endpoints, FaultState faults)
    {
        var s = engine.Snapshot();
        return new WorkerState(settings.EngineId, settings.RoleName, settings.ModelId, settings.Node, settings.Spec.Gpu.Id, settings.Tp,
            settings.Spec.PipelineParallel, endpoints.HttpPort, endpoints.KvPort, s.BlocksUsed, s.BlocksTotal, s.KvCacheUsage, s.LeasesOpen,
            s.Running, s.Waiting, s.WaitingForRemoteKv, faults.FailNextTransferArmed, faults.LinkSlowdown);
    }
}
