namespace DisaggServing.Topology;

/// <summary>What a pool's engines do; also the value of the <c>llm-d-role</c> node label and taint and of <c>llm-d.ai/role</c>.</summary>
public enum PoolRole
{
    /// <summary>Prefills prompts and hands their KV to decode engines over NIXL.</summary>
    Prefill,

    /// <summary>Pulls KV from prefill engines and generates tokens.</summary>
    Decode,

    /// <summary>Prefills and decodes in one engine (no KV transfer).</summary>
    Both,
}
