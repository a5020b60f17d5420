namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>One KV transfer, as the pulling (decode) engine reports it.</summary>
/// <param name="SourceEngineId">Engine the KV came from (prefill).</param>
/// <param name="TargetEngineId">Engine that pulled it (decode).</param>
/// <param name="Bytes">Bytes moved.</param>
/// <param name="DurationSeconds">Wall time of the transfer.</param>
/// <param name="Success">False when the transfer failed.</param>
public readonly record struct TransferRecord(string SourceEngineId, string TargetEngineId, long Bytes, double DurationSeconds, bool Success);
