using System.Text.Json;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Api;

/// <summary>
/// vLLM's request checks, and the output, worked out in advance: the budget is max_tokens when given (the simulated
/// model then never ends its answer by itself); otherwise 16 for completions (OpenAI's and vLLM's default) and, for
/// chat, what the context leaves, with the model ending its answer at a deterministic "natural" length (32–256 tokens,
/// finish_reason "stop") unless ignore_eos. Stop strings, stop_token_ids and min_tokens end it earlier as vLLM's do
/// (<see cref="CompletionText"/>); the sampling parameters choose the tokens (<see cref="TokenSampler"/>).
/// </summary>
public static class RequestValidator
{
    /// <summary>OpenAI's and vLLM's default max_tokens for /v1/completions.</summary>
    public const int DefaultCompletionTokens = 16;

    public static GenerationPlan Plan(SamplingRequest request, IReadOnlyList<int> promptTokens, bool chat, WorkerSettings settings)
    {
        CheckModel(request.Model, settings);
        var sampling = CheckSampling(request, chat);
        var stops = CheckStops(request);
        var kind = CheckKvTransfer(request, settings);
        var stream = request.Stream == true;
        var promptName = chat ? "messages" : "prompt";
        if (promptTokens.Count >= settings.MaxModelLen)
            throw ApiException.BadRequest(
                $"This model's maximum context length is {settings.MaxModelLen} tokens. However, your {promptName} has {promptTokens.Count} tokens; " +
                $"reduce the length of the {promptName}.", promptName, "context_length_exceeded");

        var sampler = new TokenSampler(promptTokens, sampling);
        var requested = request.RequestedMaxTokens;
        int budget;
        int? naturalEnd = null;
        if (kind == EngineRequestKind.PrefillForRemoteDecode)
        {
            budget = 1; // vLLM's prefill for a remote decoder samples one token
        }
        else if (requested is { } max)
        {
            budget = max;
        }
        else if (!chat && !request.MaxTokensIsNull)
        {
            budget = DefaultCompletionTokens;
        }
        else
        {
            budget = settings.MaxModelLen - promptTokens.Count;
            if (request.IgnoreEos != true)
                naturalEnd = Math.Max(sampler.NaturalLength, request.MinTokens ?? 0);
        }
        if (promptTokens.Count + budget > settings.MaxModelLen)
            throw ApiException.BadRequest(
                $"This model's maximum context length is {settings.MaxModelLen} tokens. However, you requested {promptTokens.Count + budget} tokens " +
                $"({promptTokens.Count} in the {promptName}, {budget} in the completion). Please reduce the length of the {promptName} or completion.",
                MaxTokensParam(request), "context_length_exceeded");

        var output = CompletionText.Generate(sampler, budget, naturalEnd, stops);
        return new GenerationPlan(promptTokens, output, stream, stream && request.StreamOptions?.IncludeUsage == true, kind,
            kind == EngineRequestKind.DecodeWithRemoteKv ? request.KvTransferParams : null) { ReturnTokenIds = request.ReturnTokenIds == true };
    }

    public static void CheckModel(string? model, WorkerSettings settings)
    {
        if (model is not null && !string.Equals(model, settings.ModelId, StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status404NotFound, ErrorResponse.NotFound($"The model `{model}` does not exist.", "model"));
    }

    private static SamplingSettings CheckSampling(SamplingRequest request, bool chat)
    {
        if (request.N is { } n && n < 1)
            throw ApiException.BadRequest($"n must be at least 1, got {n}.", "n");
        if (request.N > 1)
            throw ApiException.BadRequest("n > 1 is not supported: this server returns one choice per request.", "n");
        if (request.RequestedMaxTokens is { } max && max < 1)
            throw ApiException.BadRequest($"{MaxTokensParam(request)} must be at least 1, got {max}.", MaxTokensParam(request));
        if (request.MinTokens is { } min && (min < 0 || (request.RequestedMaxTokens is { } m && min > m)))
            throw ApiException.BadRequest($"min_tokens must be between 0 and max_tokens, got {min}.", "min_tokens");
        if (request.Temperature is { } t && (t < 0 || !double.IsFinite(t)))
            throw ApiException.BadRequest($"temperature must be non-negative, got {t}.", "temperature");
        if (request.TopP is { } p && (!(p > 0) || p > 1))
            throw ApiException.BadRequest($"top_p must be in (0, 1], got {p}.", "top_p");
        if (request.TopK is { } k && k < -1)
            throw ApiException.BadRequest($"top_k must be 0 (disable), or at least 1, got {k}.", "top_k");
        if (request.MinP is { } minP && !(minP >= 0 && minP <= 1))
            throw ApiException.BadRequest($"min_p must be in [0, 1], got {minP}.", "min_p");
        if (request.PresencePenalty is { } presence && !(presence >= -2 && presence <= 2))
            throw ApiException.BadRequest($"presence_penalty must be in [-2, 2], got {presence}.", "presence_penalty");
        if (request.FrequencyPenalty is { } frequency && !(frequency >= -2 && frequency <= 2))
            throw ApiException.BadRequest($"frequency_penalty must be in [-2, 2], got {frequency}.", "frequency_penalty");
        if (request.RepetitionPenalty is { } repetition && !(repetition > 0 && double.IsFinite(repetition)))
            throw ApiException.BadRequest($"repetition_penalty must be greater than zero, got {repetition}.", "repetition_penalty");
        if (request.StreamOptions is not null && request.Stream != true)
            throw ApiException.BadRequest("Stream options can only be defined when `stream=True`.", "stream_options");
        if (!chat && request is CompletionRequest { Echo: true })
            throw ApiException.BadRequest("echo is not supported.", "echo");
        if (request is CompletionRequest { Logprobs: not null } or ChatCompletionRequest { Logprobs: true } or ChatCompletionRequest { TopLogprobs: > 0 })
            throw ApiException.BadRequest("logprobs are not supported: this server returns no log probabilities.",
                request is ChatCompletionRequest { Logprobs: not true } ? "top_logprobs" : "logprobs");
        return new SamplingSettings
        {
            Temperature = request.Temperature ?? 1.0,
            TopP = request.TopP ?? 1.0,
            TopK = request.TopK ?? 0,
            MinP = request.MinP ?? 0,
            PresencePenalty = request.PresencePenalty ?? 0,
            FrequencyPenalty = request.FrequencyPenalty ?? 0,
            RepetitionPenalty = request.RepetitionPenalty ?? 1.0,
            Seed = request.Seed ?? 0,
        };
    }

    /// <summary>stop (a string or an array of strings, none empty), stop_token_ids, include_stop_str_in_output, min_tokens.</summary>
    private static StopConditions CheckStops(SamplingRequest request)
    {
        List<string> stop = [];
        switch (request.Stop)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            case { ValueKind: JsonValueKind.String } one:
                stop.Add(one.GetString()!);
                break;
            case { ValueKind: JsonValueKind.Array } many when many.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                stop.AddRange(many.EnumerateArray().Select(e => e.GetString()!));
                break;
            default:
                throw ApiException.BadRequest("stop must be a string or an array of strings.", "stop");
        }
        if (stop.Any(s => s.Length == 0))
            throw ApiException.BadRequest("stop cannot contain an empty string.", "stop");
        return new StopConditions(stop, new HashSet<int>(request.StopTokenIds ?? []), request.IncludeStopStrInOutput == true, request.MinTokens ?? 0);
    }

    private static EngineRequestKind CheckKvTransfer(SamplingRequest request, WorkerSettings settings)
    {
        const string param = "kv_transfer_params";
        if (request.KvTransferParams is not { } kv)
            return EngineRequestKind.Normal;
        if (kv.DoRemoteDecode && kv.DoRemotePrefill)
            throw ApiException.BadRequest("kv_transfer_params cannot set both do_remote_decode and do_remote_prefill.", param);
        if (kv.DoRemoteDecode)
        {
            if (settings.Role == WorkerRole.Decode)
                throw ApiException.BadRequest($"Engine {settings.EngineId} is a decode engine: it does not prefill for remote decoders (do_remote_decode).", param);
            if (request.Stream == true)
                throw ApiException.BadRequest("A prefill for a remote decoder (do_remote_decode) must not stream: its answer carries kv_transfer_params.", "stream");
            return EngineRequestKind.PrefillForRemoteDecode;
        }
        if (!kv.DoRemotePrefill)
            return EngineRequestKind.Normal;
        if (settings.Role == WorkerRole.Prefill)
            throw ApiException.BadRequest($"Engine {settings.EngineId} is a prefill engine: it does not decode with remote KV (do_remote_prefill).", param);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(kv.RemoteEngineId)) missing.Add("remote_engine_id");
        if (string.IsNullOrWhiteSpace(kv.RemoteRequestId)) missing.Add("remote_request_id");
        if (string.IsNullOrWhiteSpace(kv.RemoteHost)) missing.Add("remote_host");
        if (kv.RemotePort is not (> 0 and <= 65535)) missing.Add("remote_port");
        if (kv.RemoteBlockIds is not [{ Count: > 0 }, ..]) missing.Add("remote_block_ids");
        if (missing.Count > 0)
            throw ApiException.BadRequest($"kv_transfer_params with do_remote_prefill needs {string.Join(", ", missing)}.", param);
        return EngineRequestKind.DecodeWithRemoteKv;
    }

    private static string MaxTokensParam(SamplingRequest request) =>
        request is ChatCompletionRequest { MaxCompletionTokens: not null } ? "max_completion_tokens" : "max_tokens";
}
