namespace DisaggServing.IntegrationTests;

/// <summary>Prompts on either side of the router's decode-only threshold.</summary>
internal static class Prompts
{
    /// <summary>Well over a thousand tokens: the decider sends it through prefill and decode.</summary>
    public static string Long(int seed = 0) =>
        $"Request {seed}. " + string.Concat(Enumerable.Repeat(
            "Disaggregated serving splits prefill and decode onto separate GPU pools and moves the KV cache between them. ", 60));

    /// <summary>A handful of tokens: the decider sends it decode-only.</summary>
    public const string Short = "Say hi.";
}
