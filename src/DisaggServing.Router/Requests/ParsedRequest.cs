using DisaggServing.Scheduling;

namespace DisaggServing.Router.Requests;

/// <summary>What the router reads from a validated body; the body itself is forwarded as it came.</summary>
public sealed record ParsedRequest(
    RequestKind Kind, string? Model, bool Stream, int? MaxTokens, IReadOnlyList<Prompt> Prompts, bool HasClientKvTransferParams)
{
    /// <summary>The prompt scheduling uses (the first of a batch).</summary>
    public Prompt Prompt => Prompts[0];
}
