using System.Globalization;

namespace DisaggServing.Engine.Workloads;

/// <summary>
/// A workload as the CLI names it: <c>fixed:ISL:OSL</c>, <c>uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX</c>,
/// <c>sharegpt</c>, <c>sharegpt:MEAN_IN:MEAN_OUT[:sglang]</c>, <c>trace:FILE</c> or <c>prefix:NUM_PREFIXES:PREFIX_LEN:SUFFIX_LEN:OSL</c>. Parse it, then
/// <see cref="Generate"/> the requests.
/// </summary>
public sealed record WorkloadSpec
{
    /// <summary>The forms <see cref="Parse"/> accepts, for help and error text.</summary>
    public const string AcceptedForms =
        "fixed:ISL:OSL (e.g. fixed:1024:128), uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX (lengths drawn uniformly, both ends included, "
        + "as bench_serving's random dataset; e.g. uniform:1-1000:1-1000, a single number fixes that side), sharegpt (ShareGPT lengths as vllm bench serve samples them, 215 in / 214 out on average), sharegpt:MEAN_IN:MEAN_OUT (the same at a run's own means, "
        + "filtered as vllm bench serve does; add :sglang for bench_serving's filter; e.g. sharegpt:229.5:216.9), trace:FILE (JSONL lines with arrival_s, input_tokens, output_tokens), "
        + "or prefix:NUM_PREFIXES:PREFIX_LEN:SUFFIX_LEN:OSL (shared prefixes, as vLLM bench's prefix_repetition; e.g. prefix:10:2048:256:128)";

    private WorkloadSpec(WorkloadKind kind, int inputTokens, int outputTokens, string? tracePath)
    {
        Kind = kind;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        TracePath = tracePath;
    }

    /// <summary>The ShareGPT-like mix.</summary>
    public static WorkloadSpec ShareGpt { get; } = new(WorkloadKind.ShareGpt, 0, 0, null);

    /// <summary>Where requests come from.</summary>
    public WorkloadKind Kind { get; }

    /// <summary>Prompt length of every request for <see cref="WorkloadKind.Fixed"/> and <see cref="WorkloadKind.Prefix"/>; 0 otherwise.</summary>
    public int InputTokens { get; }

    /// <summary>Output length of every request for <see cref="WorkloadKind.Fixed"/> and <see cref="WorkloadKind.Prefix"/>; 0 otherwise.</summary>
    public int OutputTokens { get; }

    /// <summary>The trace file for <see cref="WorkloadKind.Trace"/>; null otherwise.</summary>
    public string? TracePath { get; }

    /// <summary>The shared-prefix shape for <see cref="WorkloadKind.Prefix"/>; null otherwise.</summary>
    public PrefixRepetition? Prefix { get; private init; }

    /// <summary>ShareGPT at a run's own means (<c>sharegpt:MEAN_IN:MEAN_OUT</c>); null otherwise, also for plain <c>sharegpt</c>.</summary>
    public ShareGptRunLengths? ShareGptRun { get; private init; }

    /// <summary>The length ranges for <see cref="WorkloadKind.Uniform"/>; null otherwise.</summary>
    public UniformLengths? Ranges { get; private init; }

    /// <summary>
    /// Prompt and output tokens of the longest request this workload can make: fixed, shared-prefix and uniform
    /// lengths bound it; ShareGPT's samples and a trace's lines do not say (null).
    /// </summary>
    public int? LongestRequestTokens => Kind switch
    {
        WorkloadKind.Fixed or WorkloadKind.Prefix => InputTokens + OutputTokens,
        WorkloadKind.Uniform => Ranges!.InputMax + Ranges.OutputMax,
        _ => null,
    };

    /// <summary>
    /// Lengths drawn uniformly from [<paramref name="inputMin"/>, <paramref name="inputMax"/>] and
    /// [<paramref name="outputMin"/>, <paramref name="outputMax"/>], both ends included (a benchmark's random dataset).
    /// </summary>
    /// <exception cref="InputException">A bound is below 1 or a range is empty.</exception>
    public static WorkloadSpec Uniform(int inputMin, int inputMax, int outputMin, int outputMax) =>
        Uniform(new UniformLengths(inputMin, inputMax, outputMin, outputMax));

    /// <summary>Lengths drawn from <paramref name="ranges"/> (e.g. a client's <see cref="UniformLengths.FromRangeRatio"/>).</summary>
    public static WorkloadSpec Uniform(UniformLengths ranges) => new(WorkloadKind.Uniform, 0, 0, null) { Ranges = ranges };

    /// <summary>
    /// ShareGPT lengths drawn at a benchmark run's own means, filtered as <paramref name="client"/> samples the dataset
    /// (<see cref="ShareGptRunLengths"/>).
    /// </summary>
    /// <exception cref="InputException">A mean is out of the client's bounds.</exception>
    public static WorkloadSpec ShareGptMeans(double meanInputTokens, double meanOutputTokens, BenchmarkClient client = BenchmarkClient.Vllm) =>
        new(WorkloadKind.ShareGpt, 0, 0, null) { ShareGptRun = new ShareGptRunLengths(meanInputTokens, meanOutputTokens, client) };

    /// <summary>
    /// <paramref name="numPrefixes"/> prefixes of <paramref name="prefixTokens"/> tokens, each prompt one of them plus
    /// <paramref name="suffixTokens"/> tokens of its own, writing <paramref name="outputTokens"/> (vLLM's prefix_repetition).
    /// </summary>
    /// <exception cref="InputException">A count or length is out of range.</exception>
    public static WorkloadSpec SharedPrefixes(int numPrefixes, int prefixTokens, int suffixTokens, int outputTokens)
    {
        if (numPrefixes < 1) throw new InputException($"workload prefix: NUM_PREFIXES must be at least 1; got {numPrefixes}.");
        if (prefixTokens < 1) throw new InputException($"workload prefix: PREFIX_LEN must be at least 1 token; got {prefixTokens}.");
        if (suffixTokens < 0) throw new InputException($"workload prefix: SUFFIX_LEN must be 0 or more tokens; got {suffixTokens}.");
        _ = new FixedLengths(prefixTokens + suffixTokens, outputTokens);
        return new WorkloadSpec(WorkloadKind.Prefix, prefixTokens + suffixTokens, outputTokens, null)
        {
            Prefix = new PrefixRepetition(numPrefixes, prefixTokens, suffixTokens, outputTokens),
        };
    }

    /// <summary>Every request reads <paramref name="inputTokens"/> and writes <paramref name="outputTokens"/>.</summary>
    /// <exception cref="InputException">A length is below 1.</exception>
    public static WorkloadSpec Fixed(int inputTokens, int outputTokens)
    {
        _ = new FixedLengths(inputTokens, outputTokens);
        return new WorkloadSpec(WorkloadKind.Fixed, inputTokens, outputTokens, null);
    }

    /// <summary>Requests replayed from the JSONL trace at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">The path is empty.</exception>
    public static WorkloadSpec Trace(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException($"workload 'trace:' needs a file path, as in trace:requests.jsonl; accepted forms: {AcceptedForms}.");
        }

        return new WorkloadSpec(WorkloadKind.Trace, 0, 0, path);
    }

    /// <summary>Parses a CLI workload string (kind names are case-insensitive).</summary>
    /// <exception cref="InputException">The text is not one of <see cref="AcceptedForms"/>; the message names the bad part.</exception>
    public static WorkloadSpec Parse(string? text)
    {
        var spec = text?.Trim();
        if (string.IsNullOrEmpty(spec))
        {
            throw new InputException($"workload is empty; use {AcceptedForms}.");
        }

        var colon = spec.IndexOf(':');
        var kind = colon < 0 ? spec : spec[..colon];
        var rest = colon < 0 ? null : spec[(colon + 1)..];

        if (kind.Equals("fixed", StringComparison.OrdinalIgnoreCase))
        {
            return ParseFixed(spec, rest);
        }

        if (kind.Equals("uniform", StringComparison.OrdinalIgnoreCase))
        {
            return ParseUniform(spec, rest);
        }

        if (kind.Equals("sharegpt", StringComparison.OrdinalIgnoreCase))
        {
            return rest is null ? ShareGpt : ParseShareGpt(spec, rest);
        }

        if (kind.Equals("prefix", StringComparison.OrdinalIgnoreCase))
        {
            return ParsePrefix(spec, rest);
        }

        if (kind.Equals("trace", StringComparison.OrdinalIgnoreCase))
        {
            // Everything after the first colon is the path, so C:\traces\a.jsonl works.
            return Trace(rest ?? string.Empty);
        }

        throw new InputException($"workload '{spec}': unknown kind '{kind}'; accepted forms: {AcceptedForms}.");
    }

    /// <summary>
    /// The requests of this workload, in arrival order. For fixed, uniform and sharegpt: <paramref name="count"/> requests,
    /// arriving as a Poisson process at <paramref name="ratePerSecond"/> or all at t = 0 when it is null, drawn
    /// from <paramref name="seed"/>. For a trace: its requests with their recorded arrival times, at most
    /// <paramref name="count"/> of them from the start; a rate is refused, since the trace carries its own times.
    /// </summary>
    /// <exception cref="InputException">Bad count or rate, or the trace cannot be read.</exception>
    public WorkloadRequest[] Generate(int count, double? ratePerSecond = null, int seed = 0)
    {
        if (count < 0)
        {
            throw new InputException($"number of requests must be zero or more; got {count}.");
        }

        if (Kind == WorkloadKind.Trace)
        {
            if (ratePerSecond is not null)
            {
                throw new InputException(
                    $"workload '{this}' replays the trace's own arrival times; leave out the request rate, or use fixed:ISL:OSL or sharegpt.");
            }

            var requests = TraceReader.ReadFile(TracePath!);
            return requests.Length <= count ? requests : requests[..count];
        }

        IArrivalProcess arrivals = ratePerSecond is { } rate ? new PoissonArrivals(rate) : OfflineArrivals.Instance;
        return Prefix is { } prefix
            ? prefix.Generate(count, arrivals, seed)
            : WorkloadGenerator.Generate(CreateLengthSampler(), arrivals, count, seed);
    }

    /// <summary>
    /// The canonical CLI form: <c>fixed:1024:128</c>, <c>uniform:1-1000:1-1000</c>, <c>sharegpt</c>, <c>trace:FILE</c>
    /// or <c>prefix:10:2048:256:128</c>.
    /// </summary>
    public override string ToString() => Kind switch
    {
        WorkloadKind.Fixed => string.Create(CultureInfo.InvariantCulture, $"fixed:{InputTokens}:{OutputTokens}"),
        WorkloadKind.ShareGpt when ShareGptRun is { } run => string.Create(CultureInfo.InvariantCulture,
            $"sharegpt:{run.MeanInputTokens}:{run.MeanOutputTokens}{(run.Client == BenchmarkClient.Sglang ? ":sglang" : "")}"),
        WorkloadKind.ShareGpt => "sharegpt",
        WorkloadKind.Uniform => $"uniform:{RangeText(Ranges!.InputMin, Ranges.InputMax)}:{RangeText(Ranges.OutputMin, Ranges.OutputMax)}",
        WorkloadKind.Prefix => string.Create(CultureInfo.InvariantCulture,
            $"prefix:{Prefix!.NumPrefixes}:{Prefix.PrefixTokens}:{Prefix.SuffixTokens}:{Prefix.OutputTokens}"),
        _ => $"trace:{TracePath}",
    };

    private ILengthSampler CreateLengthSampler() => Kind switch
    {
        WorkloadKind.Fixed => new FixedLengths(InputTokens, OutputTokens),
        WorkloadKind.Uniform => Ranges!,
        _ => ShareGptRun ?? (ILengthSampler)new ShareGptLengths(),
    };

    private static WorkloadSpec ParseFixed(string spec, string? rest)
    {
        var parts = rest?.Split(':') ?? [];
        if (parts.Length != 2)
        {
            throw new InputException(
                $"workload '{spec}': fixed needs an input and an output length, as in fixed:1024:128 (fixed:ISL:OSL).");
        }

        var input = ParseLength(spec, "input length (ISL)", parts[0]);
        var output = ParseLength(spec, "output length (OSL)", parts[1]);
        return Fixed(input, output);
    }

    private static string RangeText(int min, int max) =>
        min == max ? min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{min}-{max}");

    private static WorkloadSpec ParseUniform(string spec, string? rest)
    {
        const string Form = "uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX, e.g. uniform:1-1000:1-1000 (a single number fixes that side: uniform:1-1999:128)";
        var parts = rest?.Split(':') ?? [];
        if (parts.Length != 2)
        {
            throw new InputException($"workload '{spec}': uniform needs an input and an output range; write {Form}.");
        }

        (int Min, int Max) Bounds(string what, string text)
        {
            var ends = text.Split('-');
            int End(string end) =>
                ends.Length <= 2 && int.TryParse(end.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
                    ? value
                    : throw new InputException(
                        $"workload '{spec}': {what} range '{text}' is not MIN-MAX in whole tokens of at least 1; write {Form}.");
            var min = End(ends[0]);
            var max = ends.Length == 2 ? End(ends[1]) : min;
            return min <= max
                ? (min, max)
                : throw new InputException($"workload '{spec}': {what} range '{text}' is empty (MIN above MAX); write {Form}.");
        }

        var input = Bounds("input length (ISL)", parts[0]);
        var output = Bounds("output length (OSL)", parts[1]);
        return Uniform(input.Min, input.Max, output.Min, output.Max);
    }

    private static WorkloadSpec ParseShareGpt(string spec, string rest)
    {
        const string Form = "sharegpt:MEAN_IN:MEAN_OUT or sharegpt:MEAN_IN:MEAN_OUT:sglang, e.g. sharegpt:229.5:216.9 (or plain sharegpt for vllm bench serve's own mix, 215 in / 214 out)";
        var parts = rest.Split(':');
        if (parts.Length is not (2 or 3))
        {
            throw new InputException($"workload '{spec}': sharegpt takes a mean prompt and a mean output length; write {Form}.");
        }

        double Mean(string field, string text) =>
            double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InputException($"workload '{spec}': {field} '{text}' is not a positive number of tokens; write {Form}.");

        var client = BenchmarkClient.Vllm;
        if (parts.Length == 3)
        {
            client = parts[2].Trim().ToLowerInvariant() switch
            {
                "vllm" => BenchmarkClient.Vllm,
                "sglang" => BenchmarkClient.Sglang,
                _ => throw new InputException(
                    $"workload '{spec}': CLIENT '{parts[2]}' is not vllm or sglang (whose ShareGPT filter to apply); write {Form}."),
            };
        }

        var input = Mean("MEAN_IN (mean prompt length)", parts[0]);
        var output = Mean("MEAN_OUT (mean output length)", parts[1]);
        try
        {
            return ShareGptMeans(input, output, client);
        }
        catch (InputException e)
        {
            throw new InputException($"workload '{spec}': {e.Message}");
        }
    }

    private static WorkloadSpec ParsePrefix(string spec, string? rest)
    {
        var parts = rest?.Split(':') ?? [];
        if (parts.Length != 4)
        {
            throw new InputException(
                $"workload '{spec}': prefix needs four numbers, as in prefix:10:2048:256:128 (prefix:NUM_PREFIXES:PREFIX_LEN:SUFFIX_LEN:OSL).");
        }

        int Number(string what, string text, int min) =>
            int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new InputException(
                    $"workload '{spec}': {what} '{text}' is not a whole number of at least {min}; write prefix:NUM_PREFIXES:PREFIX_LEN:SUFFIX_LEN:OSL, e.g. prefix:10:2048:256:128.");

        return SharedPrefixes(
            Number("NUM_PREFIXES", parts[0], 1), Number("PREFIX_LEN", parts[1], 1), Number("SUFFIX_LEN", parts[2], 0), Number("OSL", parts[3], 1));
    }

    private static int ParseLength(string spec, string what, string text)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new InputException(
                $"workload '{spec}': {what} '{text}' is not a whole number of tokens of at least 1; write fixed:ISL:OSL, e.g. fixed:1024:128.");
        }

        return value;
    }
}
