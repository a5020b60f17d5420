using System.Text;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Text;

/// <summary>
/// The whole output of one request, worked out before the engine runs it (the text is deterministic): how many
/// tokens the engine generates, the text the client gets, why it ended, and what a stream may show after each
/// token. The stop rules are vLLM V1's, applied one token per step:
/// <list type="bullet">
/// <item>The scheduler (vLLM's <c>check_stop</c>): nothing stops the output before <c>min_tokens</c>; then a token in
/// <c>stop_token_ids</c> ends it (<c>stop_reason</c> = the token id), then the model's own end of sequence, then the
/// budget (<c>length</c>). The stop token is generated and counted; its text is left out unless
/// <c>include_stop_str_in_output</c>.</item>
/// <item>The detokenizer: once more than <c>min_tokens</c> tokens are out, each token's new characters (and the
/// longest stop string's length − 1 before them) are searched for every stop string; the one that completes first
/// wins (ties: list order), the text is cut where it starts (or, with <c>include_stop_str_in_output</c>, where it ends),
/// and the output ends with <c>stop_reason</c> = that string, even on the budget's last token. The tokens counted
/// are all the tokens generated, up to the one that completed the stop string.</item>
/// <item>Streaming: until the output finishes, the last (longest stop string − 1) characters are held back.</item>
/// </list>
/// </summary>
public sealed class CompletionText
{
    private readonly List<int> _ends; // text length after each token, before any cut
    private readonly int _holdBack;

    private CompletionText(int tokens, string text, string finishReason, object? stopReason, List<int> ends, int holdBack, List<int> tokenIds)
    {
        Tokens = tokens;
        TokenIds = tokenIds;
        Text = text;
        FinishReason = finishReason;
        StopReason = stopReason;
        _ends = ends;
        _holdBack = holdBack;
    }

    /// <summary>Tokens generated (what usage counts as completion tokens).</summary>
    public int Tokens { get; }

    /// <summary>The generated token ids, in order (vLLM's <c>return_token_ids</c>).</summary>
    public IReadOnlyList<int> TokenIds { get; }

    /// <summary>The output text the client gets.</summary>
    public string Text { get; }

    /// <summary><c>stop</c> or <c>length</c>.</summary>
    public string FinishReason { get; }

    /// <summary>The stop string (string) or stop token id (int) that ended the output; null otherwise (budget, the model's own end).</summary>
    public object? StopReason { get; }

    /// <summary>The text a stream may have shown once <paramref name="generated"/> tokens are out (all of it at the end).</summary>
    public string Visible(int generated) => Text[..VisibleLength(generated)];

    /// <summary>Length of <see cref="Visible"/>: <see cref="Text"/>'s first characters, less what is held back for the stop strings.</summary>
    public int VisibleLength(int generated)
    {
        if (generated >= Tokens) return Text.Length;
        if (generated <= 0) return 0;
        return Math.Clamp(_ends[generated - 1] - _holdBack, 0, Text.Length);
    }

    /// <summary>
    /// How many of the first <paramref name="generated"/> tokens a stream may have reported once they are out: those whose
    /// text is wholly in <see cref="VisibleLength"/> (all of them at the end), so a client that appends the reported ids
    /// to its prompt has exactly the text it was shown.
    /// </summary>
    public int CoveredTokens(int generated)
    {
        if (generated >= Tokens) return Tokens;
        if (generated <= 0) return 0;
        var visible = VisibleLength(generated);
        var covered = generated;
        while (covered > 0 && _ends[covered - 1] > visible) covered--;
        return covered;
    }

    /// <summary>Generates up to <paramref name="budget"/> tokens from <paramref name="sampler"/> until a stop condition ends the output.</summary>
    /// <param name="sampler">The model and its sampling settings.</param>
    /// <param name="budget">Most tokens (max_tokens, or what the context leaves).</param>
    /// <param name="naturalEnd">Where the model ends its answer by itself (its end of sequence), or null when it does not (ignore_eos, or a set budget).</param>
    /// <param name="stops">Stop strings, stop tokens and min_tokens.</param>
    public static CompletionText Generate(TokenSampler sampler, int budget, int? naturalEnd, StopConditions stops) =>
        Generate(sampler.Next, budget, naturalEnd, stops);

    /// <summary>As the public overload, with the tokens from <paramref name="next"/> (tests give fixed sequences).</summary>
    internal static CompletionText Generate(Func<int> next, int budget, int? naturalEnd, StopConditions stops)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        var include = stops.IncludeStopStrInOutput;
        var text = new StringBuilder();
        var ends = new List<int>(Math.Min(budget, 1024));
        var ids = new List<int>(Math.Min(budget, 1024));
        for (var n = 1; ; n++)
        {
            var token = next();
            ids.Add(token);
            string? finish = null;
            object? reason = null;
            var stopToken = false;
            if (n >= stops.MinTokens)
            {
                if (stops.StopTokenIds.Contains(token))
                {
                    (finish, reason, stopToken) = (FinishReasons.Stop, token, true);
                }
                else if (n == naturalEnd)
                {
                    finish = FinishReasons.Stop;
                }
            }
            if (finish is null && n >= budget)
                finish = FinishReasons.Length;

            var before = text.Length;
            if (!stopToken || include)
                text.Append(PseudoText.TokenText(token));
            ends.Add(text.Length);

            if (stops.Stop.Count > 0 && n > stops.MinTokens && FindStopString(text, text.Length - before, stops.Stop, include) is { } hit)
            {
                if (hit.Cut >= 0) text.Length = hit.Cut;
                (finish, reason) = (FinishReasons.Stop, hit.Stop);
            }
            if (finish is not null)
                return new CompletionText(n, text.ToString(), finish, reason, ends, stops.HoldBack, ids);
        }
    }

    /// <summary>
    /// vLLM's <c>check_stop_strings</c>: searches the <paramref name="newChars"/> last characters, and the stop string's
    /// length − 1 before them, for each stop string; the match that ends first wins (ties: list order). Returns it and
    /// where to cut the text (-1: keep it all), or null.
    /// </summary>
    internal static (string Stop, int Cut)? FindStopString(StringBuilder text, int newChars, IReadOnlyList<string> stops, bool include)
    {
        if (newChars == 0) return null;
        string? found = null;
        int foundAt = 0, foundEnd = int.MaxValue;
        foreach (var stop in stops)
        {
            var from = Math.Max(0, text.Length + 1 - newChars - stop.Length);
            var at = text.ToString(from, text.Length - from).IndexOf(stop, StringComparison.Ordinal);
            if (at < 0) continue;
            var end = from + at + stop.Length;
            if (end < foundEnd) (found, foundAt, foundEnd) = (stop, from + at, end);
        }
        if (found is null) return null;
        if (!include) return (found, foundAt);
        return (found, foundEnd >= text.Length ? -1 : foundEnd);
    }
}
