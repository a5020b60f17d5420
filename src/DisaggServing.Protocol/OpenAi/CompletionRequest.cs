using System.Text.Json;

namespace DisaggServing.Protocol.OpenAi;

/// <summary><c>POST /v1/completions</c> body.</summary>
public sealed class CompletionRequest : SamplingRequest
{
    /// <summary>A string, an array of one string, or an array of token ids.</summary>
    public JsonElement? Prompt { get; set; }

    /// <summary>Echo the prompt back (unsupported; rejected when true).</summary>
    public bool? Echo { get; set; }

    /// <summary>Log probabilities of this many top tokens (unsupported; rejected when set).</summary>
    public int? Logprobs { get; set; }
}
