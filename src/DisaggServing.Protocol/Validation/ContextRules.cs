using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>vLLM's context checks: the prompt must leave room for at least one token, and prompt + max_tokens must fit.</summary>
public static class ContextRules
{
    /// <summary>Throws the 400 vLLM gives when <paramref name="promptTokens"/> (+ <paramref name="maxTokens"/>) exceed <paramref name="maxModelLen"/>.</summary>
    public static void Check(long promptTokens, long? maxTokens, int maxModelLen, bool chat, string maxTokensParam = "max_tokens")
    {
        if (maxModelLen <= 0) return;
        var input = chat ? "messages" : "prompt";
        if (promptTokens >= maxModelLen)
            throw OpenAiException.Invalid(
                $"This model's maximum context length is {maxModelLen} tokens. However, your request has {promptTokens} input tokens. " +
                $"Please reduce the length of the input {input}.", input);
        if (maxTokens is { } max && promptTokens + max > maxModelLen)
            throw OpenAiException.Invalid(
                $"This model's maximum context length is {maxModelLen} tokens. However, you requested {promptTokens + max} tokens " +
                $"({promptTokens} in the {input}, {max} in the completion). Please reduce the length of the {input} or {maxTokensParam}.",
                maxTokensParam);
    }
}
