using System.Text.Json.Serialization;

namespace DisaggServing.Protocol.Vllm;

/// <summary>
/// vLLM's NixlConnector <c>kv_transfer_params</c>. The router sends <c>do_remote_decode: true</c> to a prefill
/// engine; the prefill engine answers with where its KV blocks are (<c>do_remote_prefill: true</c> plus the
/// remote_* fields); the router passes that verbatim to the decode engine, which pulls the blocks.
/// </summary>
public sealed class KvTransferParams
{
    /// <summary>Prefill for a remote decoder: keep the blocks under a lease after the one-token response.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool DoRemoteDecode { get; set; }

    /// <summary>Decode with KV prefilled remotely: pull the blocks named here.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool DoRemotePrefill { get; set; }

    /// <summary>Engine id of the prefill engine holding the blocks.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? RemoteEngineId { get; set; }

    /// <summary>Request id the blocks are leased under on the prefill engine.</summary>
    public string? RemoteRequestId { get; set; }

    /// <summary>Block ids on the prefill engine, one list per KV cache group.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public List<List<int>>? RemoteBlockIds { get; set; }

    /// <summary>Host of the prefill engine's KV side channel.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? RemoteHost { get; set; }

    /// <summary>Port of the prefill engine's KV side channel.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? RemotePort { get; set; }

    /// <summary>Tensor-parallel size of the prefill engine.</summary>
    public int? TpSize { get; set; }

    /// <summary>What the router sends with a prefill request (vLLM's proxy sends exactly these fields).</summary>
    public static KvTransferParams ForPrefill() => new() { DoRemoteDecode = true, DoRemotePrefill = false };
}
