using System.Text.Json;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>Fields shared by <c>/v1/completions</c> and <c>/v1/chat/completions</c> requests (OpenAI plus vLLM's extras).</summary>
public abstract class SamplingRequest
{
    /// <summary>Model id; must be one the server serves.</summary>
    public string? Model { get; set; }

    /// <summary>Most tokens to generate.</summary>
    public int? MaxTokens
    {
        get => _maxTokens;
        set
        {
            _maxTokens = value;
            MaxTokensIsNull = value is null;
        }
    }

    private int? _maxTokens;

    /// <summary>
    /// The body gave <c>"max_tokens": null</c> (not absent): vLLM's /v1/completions then generates up to the context,
    /// as a chat request without max_tokens does, instead of its default 16 (the router's continuations rely on it).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MaxTokensIsNull { get; internal set; }

    /// <summary>Sampling temperature.</summary>
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling mass.</summary>
    public double? TopP { get; set; }

    /// <summary>vLLM: sample from the k most likely tokens only (0 or -1: all).</summary>
    public int? TopK { get; set; }

    /// <summary>vLLM: drop tokens less likely than this fraction of the most likely one.</summary>
    public double? MinP { get; set; }

    /// <summary>Penalty on tokens already in the output.</summary>
    public double? PresencePenalty { get; set; }

    /// <summary>Penalty per occurrence of a token in the output.</summary>
    public double? FrequencyPenalty { get; set; }

    /// <summary>vLLM: penalty on tokens already in the prompt or output (1: none).</summary>
    public double? RepetitionPenalty { get; set; }

    /// <summary>Choices to return (only 1 is supported).</summary>
    public int? N { get; set; }

    /// <summary>vLLM: return the generated token ids with each choice (<c>token_ids</c>), streamed or not.</summary>
    public bool? ReturnTokenIds { get; set; }

    /// <summary>Stream server-sent events.</summary>
    public bool? Stream { get; set; }

    /// <summary>Streaming options.</summary>
    public StreamOptions? StreamOptions { get; set; }

    /// <summary>Stop string(s): a string or an array of strings.</summary>
    public JsonElement? Stop { get; set; }

    /// <summary>vLLM: token ids that end the output.</summary>
    public List<int>? StopTokenIds { get; set; }

    /// <summary>vLLM: keep the matched stop string (or stop token's text) in the output.</summary>
    public bool? IncludeStopStrInOutput { get; set; }

    /// <summary>Sampling seed.</summary>
    public long? Seed { get; set; }

    /// <summary>vLLM: fewest tokens to generate.</summary>
    public int? MinTokens { get; set; }

    /// <summary>vLLM: keep generating past end-of-sequence.</summary>
    public bool? IgnoreEos { get; set; }

    /// <summary>End-user id.</summary>
    public string? User { get; set; }

    /// <summary>vLLM P/D parameters (set by the router, never accepted from clients at the router).</summary>
    public KvTransferParams? KvTransferParams { get; set; }

    /// <summary>The output budget the request asks for (chat's max_completion_tokens wins over max_tokens).</summary>
    public virtual int? RequestedMaxTokens => MaxTokens;
}
