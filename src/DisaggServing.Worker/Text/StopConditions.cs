namespace DisaggServing.Worker.Text;

/// <summary>What ends a generation besides its budget, as vLLM's sampling parameters say it.</summary>
/// <param name="Stop">Stop strings (none empty): the output ends where the first of them completes.</param>
/// <param name="StopTokenIds">Tokens that end the output when generated (the token is counted; its text is not shown).</param>
/// <param name="IncludeStopStrInOutput">Keep the matched stop string (or stop token's text) in the output.</param>
/// <param name="MinTokens">No stop of any kind before this many tokens are out.</param>
public sealed record StopConditions(
    IReadOnlyList<string> Stop,
    IReadOnlySet<int> StopTokenIds,
    bool IncludeStopStrInOutput = false,
    int MinTokens = 0)
{
    /// <summary>Nothing but the budget (and the model's own end).</summary>
    public static StopConditions None { get; } = new([], new HashSet<int>());

    /// <summary>
    /// Characters a stream holds back until the output finishes, so it never shows text that turns out to be the
    /// start of a stop string (vLLM: the longest stop string's length - 1; none when stop strings stay in the output).
    /// </summary>
    public int HoldBack => Stop.Count > 0 && !IncludeStopStrInOutput ? Stop.Max(s => s.Length) - 1 : 0;
}
