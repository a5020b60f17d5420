namespace DisaggServing.Engine.Routing;

/// <summary>A snapshot of one candidate engine's load, as a router sees it when choosing where to send a request.</summary>
/// <param name="Waiting">Requests queued and not yet scheduled (vllm:num_requests_waiting).</param>
/// <param name="Running">Requests in the running batch (vllm:num_requests_running).</param>
/// <param name="KvUsage">Fraction of KV-cache blocks in use, 0 to 1 (vllm:kv_cache_usage_perc).</param>
/// <param name="InFlightTransfers">KV transfers under way to or from the engine.</param>
public readonly record struct EngineLoad(int Waiting, int Running, double KvUsage, int InFlightTransfers = 0);
