using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Protocol.Validation;

namespace DisaggServing.Worker.Api;

/// <summary>Turns a validated completion prompt or chat conversation into token ids.</summary>
public static class PromptReader
{
    /// <summary>The one prompt's token ids; a batch of prompts is refused (this engine answers one choice per request).</summary>
    public static IReadOnlyList<int> Completion(IReadOnlyList<PromptInput> prompts)
    {
        if (prompts.Count != 1)
            throw OpenAiException.Invalid("Batched prompts are not supported by this engine: send one prompt per request.", "prompt");
        var prompt = prompts[0];
        return NotEmpty(prompt.TokenIds ?? PromptTokenizer.Instance.Encode(prompt.Text!));
    }

    /// <summary>Token ids of the conversation rendered with the shared chat template.</summary>
    public static IReadOnlyList<int> Chat(List<ChatMessage> messages) => NotEmpty(PromptTokenizer.Instance.EncodeChat(messages));

    private static IReadOnlyList<int> NotEmpty(IReadOnlyList<int> tokens) =>
        tokens.Count > 0 ? tokens : throw OpenAiException.Invalid("The prompt is empty.", "prompt");
}
