using System.Text;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Tokenization;

/// <summary>
/// Renders chat messages into one prompt, Llama-3 style (role headers, end-of-turn markers, an open assistant
/// header), so that router and workers tokenize a conversation identically.
/// </summary>
public static class ChatTemplate
{
    /// <summary>The prompt for <paramref name="messages"/>.</summary>
    public static string Render(IEnumerable<ChatMessage> messages)
    {
        var prompt = new StringBuilder("<|begin_of_text|>");
        foreach (var message in messages)
            prompt.Append("<|start_header_id|>").Append(message.Role ?? "user").Append("<|end_header_id|>\n\n")
                .Append(message.Text()).Append("<|eot_id|>");
        return prompt.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString();
    }
}
