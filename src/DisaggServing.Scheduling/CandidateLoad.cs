namespace DisaggServing.Scheduling;

/// <summary>An engine's load as its metrics report it.</summary>
/// <param name="Waiting">Requests queued (vllm:num_requests_waiting).</param>
/// <param name="Running">Requests in the running batch (vllm:num_requests_running).</param>
/// <param name="KvUsage">Fraction of KV-cache blocks in use, 0 to 1 (vllm:kv_cache_usage_perc).</param>
public readonly record struct CandidateLoad(double Waiting, double Running, double KvUsage);
