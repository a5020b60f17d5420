using System.Text.Json;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Validation;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Api;

/// <summary>
/// The Worker's checks after the shared validator (<see cref="OpenAiRequestValidator"/>, run on the raw body first):
/// kv_transfer_params against this engine's role, and the context against the prompt's real token count. Then the
/// output, worked out in advance: the budget is max_tokens when given (the simulated
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
        var sampling = CheckSampling(request, chat);
        var stops = CheckStops(request);
        var kind = CheckKvTransfer(request, settings);
        var stream = request.Stream == true;
        ContextRules.Check(promptTokens.Count, null, settings.MaxModelLen, chat);

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
        ContextRules.Check(promptTokens.Count, budget, settings.MaxModelLen, chat, MaxTokensParam(request));

        var output = CompletionText.Generate(sampler, budget, naturalEnd, stops);
        return new GenerationPlan(promptTokens, output, stream, stream && request.StreamOptions?.IncludeUsage == true, kind,
            kind == EngineRequestKind.DecodeWithRemoteKv ? request.KvTransferParams : null) { ReturnTokenIds = request.ReturnTokenIds == true };
    }

    public static void CheckModel(string? model, WorkerSettings settings)
    {
        if (model is { Length: > 0 } && !string.Equals(model, settings.ModelId, StringComparison.OrdinalIgnoreCase))
            throw OpenAiException.ModelNotFound(model);
    }

    /// <summary>The sampling parameters (ranges already checked by the shared validator).</summary>
    private static SamplingSettings CheckSampling(SamplingRequest request, bool chat) => new()
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

    /// <summary>stop (a string or an array of strings, none empty), stop_token_ids, include_stop_str_in_output, min_tokens.</summary>
    private static StopConditions CheckStops(SamplingRequest request)
    {
        List<string> stop = request.Stop switch
        {
            { ValueKind: JsonValueKind.String } one => [one.GetString()!],
            { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => [],
        };
        return new StopConditions(stop, new HashSet<int>(request.StopTokenIds ?? []), request.IncludeStopStrInOutput == true, request.MinTokens ?? 0);
    }

    private static EngineRequestKind CheckKvTransfer(SamplingRequest request, WorkerSettings settings)
    {
        const string param = "kv_transfer_params";
        if (request.KvTransferParams is not { } kv)
            return EngineRequestKind.Normal;
        if (kv.DoRemoteDecode && kv.DoRemotePrefill)
            throw OpenAiException.Invalid("kv_transfer_params cannot set both do_remote_decode and do_remote_prefill.", param);
        if (kv.DoRemoteDecode)
        {
            if (settings.Role == WorkerRole.Decode)
                throw OpenAiException.Invalid($"Engine {settings.EngineId} is a decode engine: it does not prefill for remote decoders (do_remote_decode).", param);
            if (request.Stream == true)
                throw OpenAiException.Invalid("A prefill for a remote decoder (do_remote_decode) must not stream: its answer carries kv_transfer_params.", "stream");
            return EngineRequestKind.PrefillForRemoteDecode;
        }
        if (!kv.DoRemotePrefill)
            return EngineRequestKind.Normal;
        if (settings.Role == WorkerRole.Prefill)
            throw OpenAiException.Invalid($"Engine {settings.EngineId} is a prefill engine: it does not decode with remote KV (do_remote_prefill).", param);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(kv.RemoteEngineId)) missing.Add("remote_engine_id");
        if (string.IsNullOrWhiteSpace(kv.RemoteRequestId)) missing.Add("remote_request_id");
        if (string.IsNullOrWhiteSpace(kv.RemoteHost)) missing.Add("remote_host");
        if (kv.RemotePort is not (> 0 and <= 65535)) missing.Add("remote_port");
        if (kv.RemoteBlockIds is not [{ Count: > 0 }, ..]) missing.Add("remote_block_ids");
        if (missing.Count > 0)
            throw OpenAiException.Invalid($"kv_transfer_params with do_remote_prefill needs {string.Join(", ", missing)}.", param);
        return EngineRequestKind.DecodeWithRemoteKv;
    }

    private static string MaxTokensParam(SamplingRequest request) =>
        request is ChatCompletionRequest { MaxCompletionTokens: not null } ? "max_completion_tokens" : "max_tokens";
}
