using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Api;

/// <summary>
/// vLLM's request checks, and the output budget: max_tokens when given (the simulated model never stops early);
/// otherwise 16 for completions (OpenAI's and vLLM's default) and, for chat, the text's deterministic natural
/// length (32–256 tokens, finish_reason "stop") capped by what the context leaves.
/// </summary>
public static class RequestValidator
{
    /// <summary>OpenAI's and vLLM's default max_tokens for /v1/completions.</summary>
    public const int DefaultCompletionTokens = 16;

    public static GenerationPlan Plan(SamplingRequest request, IReadOnlyList<int> promptTokens, bool chat, WorkerSettings settings)
    {
        CheckModel(request.Model, settings);
        CheckSampling(request, chat);
        var kind = CheckKvTransfer(request, settings);
        var stream = request.Stream == true;
        var promptName = chat ? "messages" : "prompt";
        if (promptTokens.Count >= settings.MaxModelLen)
            throw ApiException.BadRequest(
                $"This model's maximum context length is {settings.MaxModelLen} tokens. However, your {promptName} has {promptTokens.Count} tokens; " +
                $"reduce the length of the {promptName}.", promptName, "context_length_exceeded");

        var requested = request.RequestedMaxTokens;
        int outputTokens;
        var finish = FinishReasons.Length;
        var seed = PseudoText.PromptHash(promptTokens, request.Seed);
        if (kind == EngineRequestKind.PrefillForRemoteDecode)
        {
            outputTokens = 1; // vLLM's prefill for a remote decoder samples one token
        }
        else if (requested is { } max)
        {
            outputTokens = max;
        }
        else if (!chat)
        {
            outputTokens = DefaultCompletionTokens;
        }
        else
        {
            var natural = Math.Max(PseudoText.NaturalLength(seed), request.MinTokens ?? 0);
            var room = settings.MaxModelLen - promptTokens.Count;
            (outputTokens, finish) = natural <= room ? (natural, FinishReasons.Stop) : (room, FinishReasons.Length);
        }
        if (promptTokens.Count + outputTokens > settings.MaxModelLen)
            throw ApiException.BadRequest(
                $"This model's maximum context length is {settings.MaxModelLen} tokens. However, you requested {promptTokens.Count + outputTokens} tokens " +
                $"({promptTokens.Count} in the {promptName}, {outputTokens} in the completion). Please reduce the length of the {promptName} or completion.",
                MaxTokensParam(request), "context_length_exceeded");

        return new GenerationPlan(promptTokens, outputTokens, finish, stream, stream && request.StreamOptions?.IncludeUsage == true, seed, kind,
            kind == EngineRequestKind.DecodeWithRemoteKv ? request.KvTransferParams : null);
    }

    public static void CheckModel(string? model, WorkerSettings settings)
    {
        if (model is not null && !string.Equals(model, settings.ModelId, StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status404NotFound, ErrorResponse.NotFound($"The model `{model}` does not exist.", "model"));
    }

    private static void CheckSampling(SamplingRequest request, bool chat)
    {
        if (request.N is { } n && n < 1)
            throw ApiException.BadRequest($"n must be at least 1, got {n}.", "n");
        if (request.N > 1)
            throw ApiException.BadRequest("n > 1 is not supported: this server returns one choice per request.", "n");
        if (request.RequestedMaxTokens is { } max && max < 1)
            throw ApiException.BadRequest($"{MaxTokensParam(request)} must be at least 1, got {max}.", MaxTokensParam(request));
        if (request.MinTokens is { } min && (min < 0 || (request.RequestedMaxTokens is { } m && min > m)))
            throw ApiException.BadRequest($"min_tokens must be between 0 and max_tokens, got {min}.", "min_tokens");
        if (request.Temperature is { } t && (t < 0 || double.IsNaN(t)))
            throw ApiException.BadRequest($"temperature must be non-negative, got {t}.", "temperature");
        if (request.TopP is { } p && (!(p > 0) || p > 1))
            throw ApiException.BadRequest($"top_p must be in (0, 1], got {p}.", "top_p");
        if (request.StreamOptions is not null && request.Stream != true)
            throw ApiException.BadRequest("Stream options can only be defined when `stream=True`.", "stream_options");
        if (!chat && request is CompletionRequest { Echo: true })
            throw ApiException.BadRequest("echo is not supported.", "echo");
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
