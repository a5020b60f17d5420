namespace DisaggServing.Worker.Text;

/// <summary>
/// The simulated model and vLLM's sampler over it, one output token at a time. The model is autoregressive: at each
/// step it gives every candidate token (<see cref="PseudoText"/>'s vocabulary) a logit that is a hash of (context,
/// candidate), the context being the prompt and the output so far, chained token by token; the sampler then applies,
/// in vLLM's order, the repetition, frequency and presence penalties, the temperature, min-p, top-k and top-p, and
/// draws with a hash of (context, seed). Greedy sampling (temperature 0) takes the most likely token and ignores the
/// seed. The same prompt and settings always give the same tokens, on whichever engine (a prefill and its decoder
/// agree), and a prompt that already ends with part of an answer (<see cref="PseudoText.AnswerLength"/>) continues it
/// exactly: the answer's tokens count as output for the penalties and the model's own end, so a request migrated with
/// its output appended to its prompt produces the rest of the same text. (Real vLLM continues exactly only under
/// greedy sampling: its seeded generator restarts with the new request.)
/// </summary>
public sealed class TokenSampler
{
    /// <summary>Logits lie in [-Spread/2, Spread/2): at temperature 1 the most likely token has a few percent.</summary>
    private const double Spread = 6.0;

    /// <summary>Keeps the draws' hash apart from the logits' (which mix the state with small candidate indices).</summary>
    private const ulong DrawKey = 0xD1B54A32D192ED03UL;

    private readonly ulong _start; // the context before the answer began: fixes the answer's natural length
    private readonly ulong _seed;
    private ulong _state;          // the context so far
    private readonly SamplingSettings _settings;
    private readonly bool _penalties;
    private readonly int[] _counts;          // times each later-position candidate is in the output so far
    private readonly bool[]? _firstInPrompt; // repetition penalty: candidates found in the prompt
    private readonly bool[]? _nextInPrompt;
    private readonly double[] _weights;
    private readonly double[] _keys;
    private readonly int[] _order;

    public TokenSampler(IReadOnlyList<int> promptTokens, SamplingSettings settings)
    {
        _settings = settings;
        var answered = PseudoText.AnswerLength(promptTokens);
        _start = PseudoText.ContextHash(promptTokens, promptTokens.Count - answered);
        _state = _start;
        for (var i = promptTokens.Count - answered; i < promptTokens.Count; i++) _state = PseudoText.Next(_state, promptTokens[i]);
        _seed = (ulong)settings.Seed;
        _penalties = settings.PresencePenalty != 0 || settings.FrequencyPenalty != 0 || settings.RepetitionPenalty != 1.0;
        _counts = new int[PseudoText.NextTokens.Length];
        Position = answered;
        for (var i = promptTokens.Count - answered; i < promptTokens.Count; i++)
            if (Array.IndexOf(PseudoText.NextTokens, promptTokens[i]) is var known and >= 0)
                _counts[known]++;
        if (settings.RepetitionPenalty != 1.0)
        {
            var prompt = new HashSet<int>(promptTokens);
            _firstInPrompt = [.. PseudoText.FirstTokens.Select(prompt.Contains)];
            _nextInPrompt = [.. PseudoText.NextTokens.Select(prompt.Contains)];
        }
        var most = Math.Max(PseudoText.FirstTokens.Length, PseudoText.NextTokens.Length);
        _weights = new double[most];
        _keys = new double[most];
        _order = new int[most];
    }

    /// <summary>Tokens of the answer so far, those the prompt ended with included (the position of the next one).</summary>
    public int Position { get; private set; }

    /// <summary>
    /// How many more tokens until the model would end its answer by itself (its end-of-sequence), unless something
    /// stops it first: a length fixed when the answer began, less what the prompt already holds of it (at least 1).
    /// </summary>
    public int NaturalLength => Math.Max(1, PseudoText.NaturalLength(_settings.Greedy ? _start : PseudoText.Mix(_start, _seed)) - Position);

    /// <summary>Draws the token at <see cref="Position"/> and moves on.</summary>
    public int Next()
    {
        var first = Position == 0;
        var candidates = first ? PseudoText.FirstTokens : PseudoText.NextTokens;
        var n = candidates.Length;
        var at = _state;
        var s = _settings;
        var best = 0;
        for (var i = 0; i < n; i++)
        {
            var logit = Spread * (PseudoText.Unit(PseudoText.Mix(at, (ulong)i)) - 0.5);
            if (_penalties)
            {
                // Nothing is in the output before the first position; the later candidates are counted as drawn.
                var count = first ? 0 : _counts[i];
                var inPrompt = (first ? _firstInPrompt : _nextInPrompt)?[i] == true;
                if (s.RepetitionPenalty != 1.0 && (count > 0 || inPrompt))
                    logit = logit > 0 ? logit / s.RepetitionPenalty : logit * s.RepetitionPenalty;
                if (count > 0)
                    logit -= s.FrequencyPenalty * count + s.PresencePenalty;
            }
            _weights[i] = logit;
            if (logit > _weights[best]) best = i;
        }

        var chosen = s.Greedy ? best : Draw(n, best);
        var token = candidates[chosen];
        if (!first)
            _counts[chosen]++;
        else if (Array.IndexOf(PseudoText.NextTokens, token) is var also and >= 0)
            _counts[also]++; // a first token that later positions can draw too
        _state = PseudoText.Next(_state, token);
        Position++;
        return token;
    }

    /// <summary>Temperature, min-p, top-k, top-p, then one draw; <paramref name="best"/> is the top logit's index.</summary>
    private int Draw(int n, int best)
    {
        var s = _settings;
        var top = _weights[best];
        for (var i = 0; i < n; i++)
            _weights[i] = Math.Exp((_weights[i] - top) / s.Temperature); // relative to the most likely token (1)
        if (s.MinP > 0)
            for (var i = 0; i < n; i++)
                if (_weights[i] < s.MinP) _weights[i] = 0;

        var kept = n;
        for (var i = 0; i < n; i++) _order[i] = i;
        var topK = s.TopK > 0 && s.TopK < n;
        if (topK || s.TopP < 1.0)
        {
            // Most likely first (the sort is deterministic, so equal weights always come out in the same order).
            for (var i = 0; i < n; i++) _keys[i] = -_weights[i];
            Array.Sort(_keys, _order, 0, n);
            if (topK) kept = s.TopK;
            if (s.TopP < 1.0)
            {
                var total = 0.0;
                for (var i = 0; i < kept; i++) total += _weights[_order[i]];
                var mass = 0.0;
                for (var i = 0; i < kept; i++)
                {
                    mass += _weights[_order[i]];
                    if (mass >= s.TopP * total)
                    {
                        kept = i + 1;
                        break;
                    }
                }
            }
        }

        var sum = 0.0;
        for (var i = 0; i < kept; i++) sum += _weights[_order[i]];
        var u = PseudoText.Unit(PseudoText.Mix(PseudoText.Mix(_state, _seed), DrawKey)) * sum;
        for (var i = 0; i < kept; i++)
        {
            u -= _weights[_order[i]];
            if (u < 0 && _weights[_order[i]] > 0) return _order[i];
        }
        return best; // rounding left the draw past the end: the most likely token
    }
}
