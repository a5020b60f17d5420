using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Protocol.Validation;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Models;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.Requests;

/// <summary>
/// Checks a completion or chat body before anything is forwarded: vLLM's own request checks
/// (<see cref="OpenAiRequestValidator"/>, shared with the Worker), the model against the catalog, max_tokens against the
/// router's cap, and prompt + max_tokens against the context (prompt counted with the shared tokenizer and chat
/// template). Every failure is an <see cref="OpenAiException"/> with vLLM's status and message.
/// </summary>
public sealed class RequestValidator(ModelCatalog models, RouterOptions options)
{
    private const int CompletionDefaultMaxTokens = 16;

    /// <summary>The parsed request, or an <see cref="OpenAiException"/>.</summary>
    public ParsedRequest Validate(JsonElement root, RequestKind kind)
    {
        var chat = kind == RequestKind.Chat;
        var validated = OpenAiRequestValidator.Validate(root, chat, new ValidationLimits
        {
            MaxModelLen = models.ContextLimit,
            MaxTokensCap = options.MaxTokens,
            IsServed = models.IsServed,
        });
        IReadOnlyList<Prompt> prompts = chat
            ? [Prompt.FromText(ChatTemplate.Render(validated.Messages!))]
            : validated.Prompts.Select(p => p.TokenIds is { } ids ? Prompt.FromTokens(ids) : Prompt.FromText(p.Text!)).ToList();
        // Prefix hashes must come from the ids the engine caches: the served model's own tokenizer when one is registered.
        var tokenizer = PromptTokenizers.For(validated.Model ?? options.Model);
        foreach (var prompt in prompts) prompt.Tokenizer = tokenizer;
        // vLLM budgets a completion without max_tokens at 16 tokens, and counts them against the context.
        CheckContext(prompts, validated.MaxTokens ?? (chat ? null : CompletionDefaultMaxTokens), chat, validated.MaxTokensParam);
        var hasKv = root.TryGetProperty(PdRequestTransforms.KvTransferParamsField, out _);
        return new ParsedRequest(kind, validated.Model, validated.Stream, validated.MaxTokens, prompts, hasKv);
    }

    private void CheckContext(IReadOnlyList<Prompt> prompts, int? maxTokens, bool chat, string maxTokensParam)
    {
        var limit = models.ContextLimit;
        if (limit <= 0) return;
        foreach (var prompt in prompts)
        {
            // Most prompts cannot reach the limit even at one token per byte: no need to tokenize them here.
            var bound = prompt.MaxTokenCount;
            if (bound < limit && (long)bound + (maxTokens ?? 0) <= limit) continue;
            ContextRules.Check(prompt.TokenCount, maxTokens, limit, chat, maxTokensParam);
        }
    }
}
