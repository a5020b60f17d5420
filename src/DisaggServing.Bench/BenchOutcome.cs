namespace DisaggServing.Bench;

/// <summary>What one request did. Times are seconds from the start of the run.</summary>
/// <param name="Start">When it was sent.</param>
/// <param name="Error">Null on success; else the HTTP status ("500") or the failure ("timeout", "connection", "stream_error", "bad_response").</param>
/// <param name="InputTokens">Prompt tokens sent.</param>
/// <param name="OutputTokens">Tokens generated: the server's usage count, or the content chunks when it gives none.</param>
/// <param name="TtftSeconds">Time to the first content chunk (streaming), or the end-to-end time (non-streaming).</param>
/// <param name="E2eSeconds">Time to the end of the response.</param>
/// <param name="ChunkGaps">Seconds between successive content chunks (streaming only).</param>
public sealed record BenchOutcome(
    double Start,
    string? Error,
    int InputTokens,
    int OutputTokens,
    double TtftSeconds,
    double E2eSeconds,
    double[] ChunkGaps)
{
    /// <summary>Whether the request succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>(e2e − ttft) / (output − 1) for streamed responses of two or more tokens; null otherwise.</summary>
    public double? TpotSeconds(bool streamed) =>
        streamed && OutputTokens > 1 ? (E2eSeconds - TtftSeconds) / (OutputTokens - 1) : null;

    /// <summary>A request that failed with <paramref name="error"/>.</summary>
    public static BenchOutcome Failed(double start, string error, int inputTokens) => new(start, error, inputTokens, 0, 0, 0, []);
}
