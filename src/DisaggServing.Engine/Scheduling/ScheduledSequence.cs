namespace DisaggServing.Engine.Scheduling;

/// <summary>One request's share of a step.</summary>
/// <param name="Request">The request.</param>
/// <param name="NewTokens">Tokens computed this step (a prefill chunk, or 1 for a decode).</param>
/// <param name="ContextTokens">Tokens already in its KV cache before this step.</param>
/// <param name="IsDecode">True when it generates past its prompt one token at a time.</param>
public readonly record struct ScheduledSequence(EngineRequest Request, int NewTokens, int ContextTokens, bool IsDecode);
