using System.Runtime.InteropServices;
using DisaggServing.KvTransfer.Index;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// One engine's translation from the block hashes it publishes to the index's keys (the shared
/// <see cref="KvBlockHashScheme"/>), as llm-d's kv-cache manager does: every BlockStored carries the new blocks' token
/// ids and the parent's hash, so the digest chain is recomputed here from the tokens. The router's prompt hashes then
/// match whatever hash function and seed the engine runs with (vLLM's default NONE_HASH is random per process unless
/// PYTHONHASHSEED is set); when the engine does run the same scheme, the keys equal its own.
/// </summary>
/// <remarks>
/// Copies are counted: vLLM may cache two physical blocks with one hash, and removes them one by one. Blocks whose
/// vLLM hash includes extra keys (LoRA, multimodal, cache salt) are not indexed — no router prompt hashes to them — and
/// neither are their descendants, whose parent is then unknown. Single-threaded (the engine's subscription).
/// </remarks>
internal sealed class EngineBlockMap(KvBlockHashScheme scheme)
{
    // Blocks whose rebuilt key equalled the engine's own hash, in a row, before the engine is trusted to run this scheme.
    private const int TrustAfter = 32;

    private readonly Dictionary<ulong, Mapped> _blocks = [];
    private int _agreeing;
    private readonly List<ulong> _stored = [];
    private readonly List<ulong> _removed = [];

    /// <summary>Engine blocks mapped (distinct engine hashes).</summary>
    public int Count => _blocks.Count;

    /// <summary>
    /// Whether the engine was found to hash with the index's own scheme (same algorithm and PYTHONHASHSEED): its block
    /// hashes then are the keys, and chains are no longer rebuilt (SHA-256 per block saved).
    /// </summary>
    public bool EngineUsesScheme { get; private set; }

    /// <summary>The scheme keys are computed with.</summary>
    public KvBlockHashScheme Scheme => scheme;

    /// <summary>Forgets everything, the engine's scheme included (a gap that could not be replayed, or an engine restart).</summary>
    public void Clear()
    {
        _blocks.Clear();
        _agreeing = 0;
        EngineUsesScheme = false;
    }

    /// <summary>
    /// Translates the decoded <paramref name="batch"/> into index events, appended to <paramref name="output"/>, and
    /// counts what could not be indexed in <paramref name="stats"/>.
    /// </summary>
    public void Translate(VllmKvEventBatch batch, List<KvBlockEvent> output, KvEventIngestStats stats)
    {
        var hashes = CollectionsMarshal.AsSpan(batch.Hashes);
        var tokens = CollectionsMarshal.AsSpan(batch.Tokens);
        foreach (var e in CollectionsMarshal.AsSpan(batch.Events))
        {
            stats.Events++;
            if (e.Malformed)
            {
                stats.MalformedEvents++;
                continue;
            }

            switch (e.Kind)
            {
                case VllmKvEventKind.BlockStored:
                    if (e.OffDevice || e.GroupIndex > 0)
                    {
                        // Offloaded tiers and non-main KV cache groups (sliding window, Mamba) do not serve prefix hits here.
                        stats.SkippedEvents++;
                        continue;
                    }

                    Store(e, hashes.Slice(e.HashStart, e.HashCount), tokens.Slice(e.TokenStart, e.TokenCount), stats);
                    if (_stored.Count > 0)
                    {
                        output.Add(KvBlockEvent.Stored([.. _stored]));
                        _stored.Clear();
                    }

                    break;
                case VllmKvEventKind.BlockRemoved:
                    if (e.OffDevice || e.GroupIndex > 0)
                    {
                        stats.SkippedEvents++;
                        continue;
                    }

                    foreach (var hash in hashes.Slice(e.HashStart, e.HashCount))
                        Remove(hash);
                    stats.BlocksRemoved += _removed.Count;
                    if (_removed.Count > 0)
                    {
                        output.Add(KvBlockEvent.Removed([.. _removed]));
                        _removed.Clear();
                    }

                    break;
                case VllmKvEventKind.AllBlocksCleared:
                    _blocks.Clear();
                    stats.Clears++;
                    output.Add(KvBlockEvent.Cleared());
                    break;
                default:
                    stats.UnknownEvents++;
                    break;
            }
        }
    }

    private void Store(in VllmKvEvent e, ReadOnlySpan<ulong> engineHashes, ReadOnlySpan<int> tokens, KvEventIngestStats stats)
    {
        var blockSize = e.BlockSize;
        if (engineHashes.IsEmpty || blockSize < 1 || tokens.Length != engineHashes.Length * blockSize)
        {
            // No tokens (an offload placeholder) or a shape the chain cannot be rebuilt from.
            stats.SkippedEvents++;
            return;
        }

        KvBlockDigest parent;
        if (!e.HasParent)
        {
            parent = scheme.Root;
        }
        else if (_blocks.TryGetValue(e.Parent, out var known))
        {
            parent = known.Digest;
        }
        else
        {
            // The parent was stored before this subscription saw it (or under extra keys): the chain cannot be rebuilt.
            stats.OrphanBlocks += engineHashes.Length;
            return;
        }

        var usable = Math.Min(engineHashes.Length, e.FirstKeyedBlock);
        stats.KeyedBlocks += engineHashes.Length - usable;
        for (var i = 0; i < usable; i++)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_blocks, engineHashes[i], out var exists);
            if (exists)
            {
                // Another physical copy of a block already indexed.
                slot.Copies++;
                parent = slot.Digest;
                continue;
            }

            if (EngineUsesScheme)
            {
                slot = new Mapped(default, engineHashes[i], 1);
                _stored.Add(engineHashes[i]);
                continue;
            }

            parent = scheme.HashBlock(parent, tokens.Slice(i * blockSize, blockSize));
            slot = new Mapped(parent, parent.Key, 1);
            _stored.Add(parent.Key);
            // One disagreement (another seed or algorithm, or a 64-bit collision) and the engine is never trusted.
            _agreeing = parent.Key == engineHashes[i] && _agreeing >= 0 ? _agreeing + 1 : int.MinValue;
            EngineUsesScheme = _agreeing >= TrustAfter;
        }

        stats.BlocksStored += _stored.Count;
    }

    private void Remove(ulong engineHash)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_blocks, engineHash);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
            return;
        if (--slot.Copies > 0)
            return;
        _removed.Add(slot.Key);
        _blocks.Remove(engineHash);
    }

    // Digest: the chain state for children (unset once the engine is trusted); Key: what the index holds.
    private struct Mapped(KvBlockDigest digest, ulong key, int copies)
    {
        public readonly KvBlockDigest Digest = digest;
        public readonly ulong Key = key;
        public int Copies = copies;
    }
}
