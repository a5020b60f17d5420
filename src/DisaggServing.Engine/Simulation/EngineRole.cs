namespace DisaggServing.Engine.Simulation;

/// <summary>What an engine replica does in a cluster.</summary>
public enum EngineRole
{
    /// <summary>Prefills prompts and hands their KV to a decode engine (vLLM kv_role producer).</summary>
    Prefill,

    /// <summary>Pulls KV from a prefill engine and generates tokens (vLLM kv_role consumer).</summary>
    Decode,

    /// <summary>Prefills and decodes (no KV transfer).</summary>
    Colocated,
}
