using DisaggServing.Protocol.Kv;

namespace DisaggServing.Protocol.Tests;

/// <summary>
/// Golden vectors for the KV block hash contract, computed from vLLM's algorithm (<c>init_none_hash</c> +
/// <c>hash_block_tokens</c> of <c>vllm/v1/core/kv_cache_utils.py</c>) by a throwaway CPython 3.11 script:
/// <list type="bullet">
/// <item><c>sha256</c>: <c>hashlib.sha256(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))</c>, CPython's own
/// pickler (protocol 5), so these vectors are vLLM's bytes exactly.</item>
/// <item><c>sha256_cbor</c>: cbor2 was not installable there, so the script wrote canonical CBOR by hand (RFC 8949
/// shortest-form heads; tuple → array, bytes → byte string, str → text string, None → 0xF6), which is what
/// <c>cbor2.dumps(obj, canonical=True)</c> emits for these types.</item>
/// </list>
/// NONE_HASH = hash_fn(PYTHONHASHSEED) (the seed as a str); block = hash_fn((parent or NONE_HASH, tuple(tokens), None));
/// key = <c>int.from_bytes(digest, "big") &amp; (2**64 - 1)</c>, vLLM's int form in KV events.
/// </summary>
public class KvBlockHashGoldenTests
{
    // 16 tokens spanning every pickle and CBOR integer width, then 16 + 16 more and a partial block of 3.
    private static readonly int[] Tokens =
    [
        128000, 128006, 9125, 128007, 271, 0, 1, 23, 24, 127, 128, 255, 256, 65535, 65536, 128255,
        .. Enumerable.Range(100, 16), .. Enumerable.Repeat(5, 16), 7, 8, 9,
    ];

    public static TheoryData<KvBlockHashAlgorithm, string, int, string, string, ulong[]> Vectors => new()
    {
        {
            KvBlockHashAlgorithm.Sha256, "0", 16,
            "1973e23848344dc43a988a9b478663803cfffe1243480253f9a3cf004b14aa7c",
            "a3ea4e287a6071f73766a1ba1354f0d1e436de470c92b9a435e8273d2542be28",
            [0x35E8273D2542BE28UL, 0xC0053AA27AA7F5B5UL, 0xAB28ABFA77BC207FUL]
        },
        {
            KvBlockHashAlgorithm.Sha256, "0", 4,
            "1973e23848344dc43a988a9b478663803cfffe1243480253f9a3cf004b14aa7c",
            "57a26f73c1890db6f1c3598d7f0ac29bbe89fac8eef89f14cdd090ce3a5e7714",
            [
                0xCDD090CE3A5E7714UL, 0x4D9B67ADBEA89919UL, 0x6FB99F695AA25104UL, 0x98DACC0ADF73AC00UL, 0x6AA2F81783A9AAF9UL, 0x2ECE5671223A515BUL,
                0x65ED523579E2925CUL, 0xAB312E1697F98020UL, 0xB5EB8F47A74546E8UL, 0x717A98A69200C62FUL, 0xF6918359CCB3DCF1UL, 0x7ACF7A4B6F9ADD73UL,
            ]
        },
        {
            KvBlockHashAlgorithm.Sha256, "42", 16,
            "c0bc02c9fc92a4944335649961b9e55cc41b194bece4801e8c6ef0f0f3f5884a",
            "96278105e20991ee6ff8442c64da883ef9b1474961ea133500a3e25cc14dfdfe",
            [0x00A3E25CC14DFDFEUL, 0x1A5BE9832AC471C8UL, 0x768B03EEF85E74B3UL]
        },
        {
            KvBlockHashAlgorithm.Sha256Cbor, "0", 16,
            "4e1195df020de59e0d65a33a4279f1183e7ae4e5d980e309f8b55adff2e61c3e",
            "10531122bee90fcf32b9269ee314562a06c4646d2dc25d9ead4d54e1bfdaf148",
            [0xAD4D54E1BFDAF148UL, 0x8B002943D3F9D85EUL, 0x311B297D46E2D672UL]
        },
        {
            KvBlockHashAlgorithm.Sha256Cbor, "42", 4,
            "9fa6eb003f14425eb9c8e6baacfbcaab26257357b829c7bfa74ffcc4f31c1780",
            "c884dbeac233dfc61a81130c8a7468272a690aa2cbe49f27b3fa8c5c8bc22358",
            [
                0xB3FA8C5C8BC22358UL, 0xC620A217B3780719UL, 0x2D186787D3765CDCUL, 0x166B64BF60B892B7UL, 0x9917E8F74678F9C2UL, 0x835C512A367FA4DDUL,
                0x7E2EE039B212AE03UL, 0x84E83384227DDDECUL, 0xB264E154157D1188UL, 0x09216CF74D7E1542UL, 0x8A63C43B00A5C09AUL, 0xA91B40D4B8D38FFDUL,
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hashes_match_vllm(KvBlockHashAlgorithm algorithm, string seed, int blockSize, string root, string first, ulong[] keys)
    {
        var scheme = new KvBlockHashScheme(algorithm, seed);
        Assert.Equal(root, scheme.Root.ToString());
        var digests = scheme.HashDigests(Tokens, blockSize);
        Assert.Equal(first, digests[0].ToString());
        Assert.Equal(keys, digests.Select(d => d.Key).ToArray());
        Assert.Equal(keys, scheme.HashPrompt(Tokens, blockSize));
    }

    [Fact]
    public void The_default_contract_is_vllms_default_sha256_with_seed_0()
    {
        Assert.Equal(KvBlockHashAlgorithm.Sha256, KvBlockHashScheme.Default.Algorithm);
        Assert.Equal("0", KvBlockHashScheme.Default.Seed);
        Assert.Equal([0x35E8273D2542BE28UL, 0xC0053AA27AA7F5B5UL, 0xAB28ABFA77BC207FUL], KvBlockHasher.HashPrompt(Tokens));
    }

    [Fact]
    public void A_chain_continues_from_a_parent_digest()
    {
        var scheme = KvBlockHashScheme.Default;
        var all = scheme.HashDigests(Tokens, 16);
        var tail = scheme.HashDigests(Tokens.AsSpan(16), 16, all[0]);
        Assert.Equal(all[1..], tail);
    }

    [Fact]
    public void Engine_hash_bytes_key_by_their_low_64_bits()
    {
        var digest = KvBlockHashScheme.Default.HashDigests(Tokens, 16)[0];
        Span<byte> bytes = stackalloc byte[32];
        digest.CopyTo(bytes);
        Assert.Equal(digest.Key, KvBlockDigest.KeyOf(bytes));
        Assert.Equal(0x0102UL, KvBlockDigest.KeyOf([1, 2]));
    }

    [Theory]
    [InlineData("sha256", KvBlockHashAlgorithm.Sha256)]
    [InlineData("sha256_cbor", KvBlockHashAlgorithm.Sha256Cbor)]
    [InlineData("Sha256Cbor", KvBlockHashAlgorithm.Sha256Cbor)]
    public void Algorithm_names_parse(string name, KvBlockHashAlgorithm expected)
    {
        Assert.True(KvBlockHashAlgorithms.TryParse(name, out var algorithm));
        Assert.Equal(expected, algorithm);
        Assert.False(KvBlockHashAlgorithms.TryParse("xxhash", out _));
    }
}
