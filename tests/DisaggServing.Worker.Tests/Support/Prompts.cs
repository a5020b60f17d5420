namespace DisaggServing.Worker.Tests.Support;

/// <summary>Prompts of known shapes.</summary>
public static class Prompts
{
    public const string Short = "Say hello to the decode engine.";

    /// <summary>About 60 tokens: several full KV blocks and a partial one.</summary>
    public const string Medium =
        "Disaggregated serving splits a request in two: a prefill engine computes the prompt's KV cache in one " +
        "compute-bound pass, then a decode engine pulls those blocks over NVLink or EFA and generates the answer " +
        "token by token, so each phase runs on hardware sized for it.";

    /// <summary>A prompt no other test shares a block with (the tag leads, so even the first block differs).</summary>
    public static string Unique(string tag) => $"[{tag} {Guid.NewGuid():N}] {Medium}";
}
