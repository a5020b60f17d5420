using System.Globalization;
using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// The fields completions and chat share: their types as vLLM's request models declare them
/// (<c>completion/protocol.py</c>, <c>chat_completion/protocol.py</c>), then their ranges as
/// <c>SamplingParams._verify_args</c> and the serving layer check them (<c>sampling_params.py</c>,
/// <c>v1/engine/processor.py</c>).
/// </summary>
internal static class SamplingFieldRules
{
    /// <summary>vLLM's default <c>--max-logprobs</c>.</summary>
    public const int MaxLogprobs = 20;

    private const int CompletionDefaultMaxTokens = 16;

    private static readonly string[] NonNullBools =
        ["use_beam_search", "include_stop_str_in_output", "ignore_eos", "skip_special_tokens", "spaces_between_special_tokens", "add_special_tokens"];

    private static readonly string[] NullableBools = ["return_tokens_as_token_ids", "return_token_ids", "watermarking"];

    /// <summary>Layer 1: types, and the rules vLLM's models check before any field is used.</summary>
    public static void Read(JsonElement root, SamplingRequest request, bool chat)
    {
        request.Model = JsonValues.String(root, "model");
        request.FrequencyPenalty = JsonValues.Float(root, "frequency_penalty");
        request.PresencePenalty = JsonValues.Float(root, "presence_penalty");
        request.Temperature = JsonValues.Float(root, "temperature");
        request.TopP = JsonValues.Float(root, "top_p");
        request.MinP = JsonValues.Float(root, "min_p");
        request.RepetitionPenalty = JsonValues.Float(root, "repetition_penalty");
        JsonValues.Float(root, "length_penalty", nullable: false);
        request.TopK = Clamp(JsonValues.Int(root, "top_k"));
        request.MaxTokens = Clamp(JsonValues.Int(root, "max_tokens"));
        // Absent is vLLM's default (16 on completions); an explicit null means "up to the context".
        request.MaxTokensIsNull = root.TryGetProperty("max_tokens", out var maxTokens) && maxTokens.ValueKind == JsonValueKind.Null;
        // Completions' n is a plain int (null refused); chat's is Optional.
        request.N = Clamp(JsonValues.Int(root, "n", nullable: chat));
        request.Seed = JsonValues.Int(root, "seed");
        request.MinTokens = Clamp(JsonValues.Int(root, "min_tokens", nullable: false));
        request.Stream = JsonValues.Bool(root, "stream");
        request.User = JsonValues.String(root, "user");
        request.IgnoreEos = JsonValues.Bool(root, "ignore_eos", nullable: false);
        request.IncludeStopStrInOutput = JsonValues.Bool(root, "include_stop_str_in_output", nullable: false);
        foreach (var name in NonNullBools) JsonValues.Bool(root, name, nullable: false);
        foreach (var name in NullableBools) JsonValues.Bool(root, name);
        request.ReturnTokenIds = JsonValues.Bool(root, "return_token_ids");
        JsonValues.String(root, "request_id", nullable: false);
        JsonValues.Int(root, "priority", nullable: false);
        JsonValues.Object(root, "vllm_xargs");
        JsonValues.Object(root, "ec_transfer_params");
        if (JsonValues.Int(root, "truncate_prompt_tokens") is < -1 and var truncate)
            throw OpenAiException.Schema($"truncate_prompt_tokens: Input should be greater than or equal to -1, got {truncate}.", "truncate_prompt_tokens");
        request.Stop = ReadStop(root);
        request.StopTokenIds = ReadIntList(root, "stop_token_ids")?.Select(v => (int)Math.Clamp(v, int.MinValue, int.MaxValue)).ToList();
        ReadIntList(root, "allowed_token_ids");
        ReadStringList(root, "bad_words", nullable: false);
        ReadLogitBias(root);
        ReadStreamOptions(root, request);
        ReadCacheSalt(root);
        ResponseFormatRules.Read(root);
        ResponseFormatRules.ReadStructuredOutputs(root);
        ReadPromptLogprobs(root, request.Stream == true);
        request.KvTransferParams = OpenAiRequestValidator.ReadKvTransferParams(root);
    }

    /// <summary>Layer 2: <c>SamplingParams._verify_args</c> and the serving layer's limits.</summary>
    public static void Verify(JsonElement root, SamplingRequest request, bool chat, ValidationLimits limits)
    {
        var n = request.N ?? 1;
        if (n < 1) throw OpenAiException.Invalid($"n must be at least 1, got {n}.", "n");
        if (request.PresencePenalty is { } presence && !(presence >= -2 && presence <= 2))
            throw OpenAiException.Invalid($"presence_penalty must be in [-2, 2], got {Show(presence)}.", "presence_penalty");
        if (request.FrequencyPenalty is { } frequency && !(frequency >= -2 && frequency <= 2))
            throw OpenAiException.Invalid($"frequency_penalty must be in [-2, 2], got {Show(frequency)}.", "frequency_penalty");
        if (request.RepetitionPenalty is { } repetition && !(repetition > 0 && double.IsFinite(repetition)))
            throw OpenAiException.Invalid($"repetition_penalty must be greater than zero, got {Show(repetition)}.", "repetition_penalty");
        if (request.Temperature is { } t && !(t >= 0 && double.IsFinite(t)))
            throw OpenAiException.Invalid($"temperature must be non-negative, got {Show(t)}.", "temperature");
        if (request.TopP is { } p && !(p > 0 && p <= 1))
            throw OpenAiException.Invalid($"top_p must be in (0, 1], got {Show(p)}.", "top_p");
        if (request.TopK is { } k && k < -1)
            throw OpenAiException.Invalid($"top_k must be 0 (disable), or at least 1, got {k}.", "top_k");
        if (request.MinP is { } minP && !(minP >= 0 && minP <= 1))
            throw OpenAiException.Invalid($"min_p must be in [0, 1], got {Show(minP)}.", "min_p");
        if (n > 1 && request.Temperature is { } greedy && greedy < 1e-5)
            throw OpenAiException.Invalid($"n must be 1 when using greedy sampling, got {n}.", "n");

        var maxParam = request is ChatCompletionRequest { MaxCompletionTokens: not null } ? "max_completion_tokens" : "max_tokens";
        var echoOnly = request is CompletionRequest { Echo: true, MaxTokens: 0 };
        var rawMax = chat ? JsonValues.Int(root, maxParam) : JsonValues.Int(root, "max_tokens");
        if (rawMax is { } max && max < 1 && !echoOnly)
            throw OpenAiException.Invalid($"max_tokens must be at least 1, got {max}.", maxParam);
        if (rawMax is { } over && limits.MaxTokensCap > 0 && over > limits.MaxTokensCap)
            throw OpenAiException.Invalid($"{maxParam} is {over}, more than this server's limit of {limits.MaxTokensCap}.", maxParam);
        if (rawMax is { } beyond && limits.MaxModelLen > 0 && beyond >= limits.MaxModelLen)
            ContextRules.Check(1, beyond, limits.MaxModelLen, chat, maxParam);
        var minTokens = request.MinTokens ?? 0;
        if (minTokens < 0)
            throw OpenAiException.Invalid($"min_tokens must be greater than or equal to 0, got {minTokens}.", "min_tokens");
        long? effectiveMax = rawMax ?? (chat ? (limits.MaxModelLen > 0 ? limits.MaxModelLen : null) : CompletionDefaultMaxTokens);
        if (effectiveMax is { } ceiling && !echoOnly && minTokens > ceiling)
            throw OpenAiException.Invalid($"min_tokens must be less than or equal to max_tokens={ceiling}, got {minTokens}.", "min_tokens");

        if (StopStrings(request.Stop).Any(s => s.Length == 0))
            throw OpenAiException.Invalid("stop cannot contain an empty string.", "stop");
        if (ReadStringList(root, "bad_words", nullable: false) is { } badWords && badWords.Any(w => w.Length == 0))
            throw OpenAiException.Invalid("bad_words cannot contain an empty string.", "bad_words");
        CheckLogitBias(root, limits);
        if (ReadIntList(root, "allowed_token_ids") is { } allowed)
        {
            if (allowed.Count == 0) throw OpenAiException.Invalid("allowed_token_ids is not None and empty!", "allowed_token_ids");
            if (limits.VocabSize > 0 && allowed.Any(id => id < 0 || id >= limits.VocabSize))
                throw OpenAiException.Invalid("allowed_token_ids contains out-of-vocab token id!", "allowed_token_ids");
        }
        if (JsonValues.Int(root, "priority", nullable: false) is { } priority and not 0)
            throw OpenAiException.Invalid($"Got priority {priority} but Priority scheduling is not enabled.", "priority");
        if (JsonValues.Int(root, "truncate_prompt_tokens") is { } truncate && limits.MaxModelLen > 0 && truncate > limits.MaxModelLen)
            throw OpenAiException.Invalid(
                $"truncate_prompt_tokens value ({truncate}) is greater than max_model_len ({limits.MaxModelLen}). Please, select a smaller truncation size.",
                "truncate_prompt_tokens");
        CheckMaxLogprobs(JsonValues.Int(root, "prompt_logprobs"), "prompt_logprobs");
    }

    /// <summary>vLLM's <c>--max-logprobs</c> cap (20); -1 asks for the whole vocabulary, which is over it too.</summary>
    public static void CheckMaxLogprobs(long? requested, string param)
    {
        if (requested is { } value && (value == -1 || value > MaxLogprobs))
            throw OpenAiException.Invalid(
                $"Requested {(param == "prompt_logprobs" ? "prompt" : "sample")} logprobs of {(value == -1 ? "the whole vocabulary (-1)" : value)}, " +
                $"which is greater than max allowed: {MaxLogprobs}", param);
    }

    /// <summary>The stop strings of a validated <c>stop</c> value.</summary>
    public static IEnumerable<string> StopStrings(JsonElement? stop) => stop switch
    {
        { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Select(e => e.GetString()!),
        _ => [],
    };

    private static JsonElement? ReadStop(JsonElement root)
    {
        if (JsonValues.Get(root, "stop") is not { } stop || stop.ValueKind is JsonValueKind.Null) return null;
        if (stop.ValueKind == JsonValueKind.String) return stop;
        if (stop.ValueKind != JsonValueKind.Array) throw JsonValues.Type("stop", "Input should be a valid string or a list of strings");
        var i = 0;
        foreach (var item in stop.EnumerateArray()) JsonValues.AsString(item, $"stop[{i++}]", nullable: false);
        return stop;
    }

    private static List<long>? ReadIntList(JsonElement root, string name)
    {
        if (JsonValues.Array(root, name) is not { } array) return null;
        var list = new List<long>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray()) list.Add(JsonValues.AsInt(item, $"{name}[{i++}]", nullable: false)!.Value);
        return list;
    }

    private static List<string>? ReadStringList(JsonElement root, string name, bool nullable)
    {
        if (JsonValues.Array(root, name, nullable) is not { } array) return null;
        var list = new List<string>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray()) list.Add(JsonValues.AsString(item, $"{name}[{i++}]", nullable: false)!);
        return list;
    }

    private static void ReadLogitBias(JsonElement root)
    {
        if (JsonValues.Object(root, "logit_bias") is not { } bias) return;
        foreach (var entry in bias.EnumerateObject())
        {
            var ok = entry.Value.ValueKind switch
            {
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
                JsonValueKind.String => double.TryParse(entry.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                _ => false,
            };
            if (!ok) throw JsonValues.Type($"logit_bias.{entry.Name}", "Input should be a valid number");
        }
    }

    private static void CheckLogitBias(JsonElement root, ValidationLimits limits)
    {
        if (JsonValues.Object(root, "logit_bias") is not { } bias) return;
        var invalid = new List<string>();
        var outOfVocab = new List<long>();
        foreach (var entry in bias.EnumerateObject())
        {
            // Python's int(): surrounding whitespace and a sign are allowed, nothing else.
            if (!long.TryParse(entry.Name.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)) invalid.Add(entry.Name);
            else if (id < 0 || (limits.VocabSize > 0 && id >= limits.VocabSize)) outOfVocab.Add(id);
        }
        if (invalid.Count > 0)
            throw OpenAiException.Invalid(
                $"logit_bias contains key(s) that cannot be converted to integer token IDs: [{string.Join(", ", invalid.Select(k => $"'{k}'"))}]", "logit_bias");
        if (outOfVocab.Count > 0)
            throw OpenAiException.Invalid(
                $"token_id(s) [{string.Join(", ", outOfVocab)}] in logit_bias contain out-of-vocab token ids. Vocabulary size: {limits.VocabSize}", "logit_bias");
    }

    private static void ReadStreamOptions(JsonElement root, SamplingRequest request)
    {
        if (JsonValues.Object(root, "stream_options") is not { } options) return;
        request.StreamOptions = new StreamOptions { IncludeUsage = Nested(options, "include_usage") };
        Nested(options, "continuous_usage_stats");
        // vLLM's validate_stream_options: an empty object is falsy, so only a non-empty one needs stream.
        if (options.EnumerateObject().Any() && request.Stream != true)
            throw OpenAiException.Schema("Stream options can only be defined when `stream=True`.", "stream_options");
    }

    private static bool? Nested(JsonElement options, string name) =>
        JsonValues.Get(options, name) is { } value ? JsonValues.AsBool(value, $"stream_options.{name}") : null;

    private static void ReadCacheSalt(JsonElement root)
    {
        if (JsonValues.String(root, "cache_salt") is { } salt && salt.Length == 0)
            throw OpenAiException.Schema("Parameter 'cache_salt' must be a non-empty string if provided.", "cache_salt");
    }

    private static void ReadPromptLogprobs(JsonElement root, bool stream)
    {
        if (JsonValues.Get(root, "prompt_logprobs") is not { } value || value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Number) throw OpenAiException.Schema("`prompt_logprobs` must be an integer.", "prompt_logprobs");
        var logprobs = JsonValues.Int(root, "prompt_logprobs")!.Value;
        if (stream && (logprobs > 0 || logprobs == -1))
            throw OpenAiException.Schema("`prompt_logprobs` are not available when `stream=True`.", "prompt_logprobs");
        if (logprobs < -1) throw OpenAiException.Schema("`prompt_logprobs` must be a positive value or -1.", "prompt_logprobs");
    }

    /// <summary>An int field of the typed request: values past int's range are kept at its edge (they fail the same checks).</summary>
    public static int? Clamp(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
