using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Validation;

namespace DisaggServing.Worker.Api;

/// <summary>
/// What vLLM accepts but this simulated engine cannot honour: refused with a clear 400 naming the field rather than
/// answered as if it had been (the Worker README's field table lists each).
/// </summary>
public static class EngineSupport
{
    public static void Check(JsonElement root, ValidatedRequest validated)
    {
        var request = validated.Request;
        if (request.N > 1)
            throw Unsupported("n > 1 is not supported: this server returns one choice per request.", "n");
        if (request is CompletionRequest { Echo: true })
            throw Unsupported("echo is not supported: this server does not return the prompt with the completion.", "echo");
        if (request is CompletionRequest { Logprobs: not null } or ChatCompletionRequest { Logprobs: true })
            throw Unsupported("logprobs are not supported: this server returns no log probabilities.", "logprobs");
        if (JsonValues.Get(root, "prompt_logprobs") is { ValueKind: not JsonValueKind.Null })
            throw Unsupported("prompt_logprobs are not supported: this server returns no log probabilities.", "prompt_logprobs");
        if (JsonValues.Bool(root, "use_beam_search") == true)
            throw Unsupported("Beam search is not supported: this server samples one sequence.", "use_beam_search");
        if (JsonValues.Get(root, "response_format") is { ValueKind: JsonValueKind.Object } format
            && JsonValues.Get(format, "type") is { ValueKind: JsonValueKind.String } type && type.GetString() != "text")
            throw Unsupported($"response_format '{type.GetString()}' is not supported: this server generates free text only.", "response_format");
        if (JsonValues.Get(root, "structured_outputs") is { ValueKind: JsonValueKind.Object })
            throw Unsupported("structured_outputs are not supported: this server generates free text only.", "structured_outputs");
        if (JsonValues.Get(root, "tool_choice") is { } choice && !(choice.ValueKind == JsonValueKind.String && choice.GetString() == "none")
            && choice.ValueKind != JsonValueKind.Null)
            throw Unsupported("Tool calls are not supported: this server generates free text only (use tool_choice \"none\").", "tool_choice");
        CheckControls(root);
    }

    /// <summary>Token-level controls and prompt-rendering switches the sampler and the chat template do not implement.</summary>
    private static void CheckControls(JsonElement root)
    {
        if (JsonValues.Get(root, "logit_bias") is { ValueKind: JsonValueKind.Object } bias && bias.EnumerateObject().Any())
            throw Unsupported("logit_bias is not supported: this server's sampler does not bias tokens.", "logit_bias");
        if (JsonValues.Get(root, "allowed_token_ids") is { ValueKind: JsonValueKind.Array })
            throw Unsupported("allowed_token_ids is not supported: this server's sampler does not restrict tokens.", "allowed_token_ids");
        if (JsonValues.Get(root, "bad_words") is { ValueKind: JsonValueKind.Array } words && words.GetArrayLength() > 0)
            throw Unsupported("bad_words is not supported: this server's sampler does not ban words.", "bad_words");
        if (JsonValues.Get(root, "truncate_prompt_tokens") is { ValueKind: not JsonValueKind.Null })
            throw Unsupported("truncate_prompt_tokens is not supported: send a prompt that fits the context.", "truncate_prompt_tokens");
        if (JsonValues.Bool(root, "continue_final_message") == true)
            throw Unsupported("continue_final_message is not supported: the chat template always opens a new assistant turn.", "continue_final_message");
        if (JsonValues.Bool(root, "add_generation_prompt") == false)
            throw Unsupported("add_generation_prompt false is not supported: the chat template always opens a new assistant turn.", "add_generation_prompt");
    }

    private static OpenAiException Unsupported(string message, string param) => OpenAiException.Invalid(message, param);
}
