namespace DisaggServing.KvTransfer.Registry;

/// <summary>A snapshot of one registry entry.</summary>
/// <param name="Engine">What the engine registered.</param>
/// <param name="Load">Its load as of the last heartbeat.</param>
/// <param name="SinceHeartbeat">Time since it registered or last heartbeat.</param>
public sealed record RegisteredEngine(EngineDescriptor Engine, EngineLoadReport Load, TimeSpan SinceHeartbeat);
