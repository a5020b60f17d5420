namespace DisaggServing.Protocol.Kv;

/// <summary>
/// vLLM's prefix-caching hash functions (<c>--prefix-caching-hash-algo</c>) that can be reproduced outside Python.
/// Both hash the tuple <c>(parent_digest, tuple(block_token_ids), extra_keys)</c> with SHA-256; they differ in how the
/// tuple is serialized first.
/// </summary>
public enum KvBlockHashAlgorithm
{
    /// <summary><c>sha256</c>, vLLM's default: <c>pickle.dumps(obj, protocol=5)</c>, then SHA-256.</summary>
    Sha256,

    /// <summary><c>sha256_cbor</c>: canonical CBOR (<c>cbor2.dumps(obj, canonical=True)</c>), then SHA-256.</summary>
    Sha256Cbor,
}

/// <summary>vLLM's names for <see cref="KvBlockHashAlgorithm"/>.</summary>
public static class KvBlockHashAlgorithms
{
    /// <summary>The <c>--prefix-caching-hash-algo</c> value of <paramref name="algorithm"/>.</summary>
    public static string VllmName(this KvBlockHashAlgorithm algorithm) => algorithm switch
    {
        KvBlockHashAlgorithm.Sha256 => "sha256",
        KvBlockHashAlgorithm.Sha256Cbor => "sha256_cbor",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    /// <summary>
    /// Parses a vLLM name (<c>sha256</c>, <c>sha256_cbor</c>) or an enum name (<c>Sha256Cbor</c>), case-insensitively;
    /// vLLM's <c>xxhash</c> variants and the pre-0.10 <c>builtin</c> are not reproducible here and are refused.
    /// </summary>
    public static bool TryParse(string? value, out KvBlockHashAlgorithm algorithm)
    {
        switch (value?.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant())
        {
            case "sha256":
                algorithm = KvBlockHashAlgorithm.Sha256;
                return true;
            case "sha256cbor":
                algorithm = KvBlockHashAlgorithm.Sha256Cbor;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }
}
