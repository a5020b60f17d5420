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

    public static string Unique(string tag) => $"{Medium} [{tag} {Guid.NewGuid():N}]";
}
