using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DisaggServing.Protocol.Kv;
using Nerdbank.MessagePack;

namespace DisaggServing.KvTransfer.Tests.KvEvents;

/// <summary>
/// Builds vLLM's KV-event wire format the way <c>vllm/distributed/kv_events.py</c> emits it with msgspec:
/// <c>KVEventBatch</c> = array-like <c>[ts, events, data_parallel_rank]</c>; events either array-like (tag first, every
/// declared field in order, nil when unset — msgspec's <c>omit_defaults</c> does not thin arrays) or, in newer vLLM,
/// maps with the tag under <c>"type"</c> and fields equal to their default omitted. Values: null, bool, int, long, ulong,
/// double, string, byte[], object?[] (array), (string, object?)[] (map, in order).
/// </summary>
internal static class VllmWire
{
    public const int BlockSize = 16;

    /// <summary>BlockStored in vLLM ≥ 0.10's array layout (block_hashes, parent, token_ids, block_size, lora_id, medium, lora_name).</summary>
    public static object?[] Stored(object[] hashes, object? parent, int[] tokens, string? medium = "GPU", object? loraId = null, string? loraName = null, params object?[] trailing) =>
        ["BlockStored", hashes, parent, tokens.Cast<object>().ToArray(), BlockSize, loraId, medium, loraName, .. trailing];

    /// <summary>BlockStored as newer vLLM sends it (tagged map; extra_keys / group_idx only when set).</summary>
    public static (string, object?)[] StoredMap(object[] hashes, object? parent, int[] tokens, params (string, object?)[] extra) =>
    [
        ("type", "BlockStored"), ("block_hashes", hashes), ("parent_block_hash", parent), ("token_ids", tokens.Cast<object>().ToArray()),
        ("block_size", BlockSize), ("lora_id", null), ("medium", "GPU"), ("lora_name", null), .. extra,
    ];

    public static object?[] Removed(object[] hashes, string? medium = "GPU") => ["BlockRemoved", hashes, medium];

    public static object?[] Cleared() => ["AllBlocksCleared"];

    // params of a List, not an array: a single event (itself an object?[]) must not be taken for the whole params array.
    public static byte[] Batch(params List<object?> events) => Encode(new object?[] { 1757500000.25, events.ToArray(), 0 });

    /// <summary>The three frames vLLM's publisher sends: topic, 8-byte big-endian sequence, payload.</summary>
    public static List<byte[]> Frames(ulong sequence, byte[] payload, string topic = "kv-events")
    {
        var seq = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, sequence);
        return [Encoding.UTF8.GetBytes(topic), seq, payload];
    }

    /// <summary>vLLM's chain for <paramref name="tokens"/> under <paramref name="scheme"/>: the hashes an engine publishes (int form).</summary>
    public static object[] EngineHashes(KvBlockHashScheme scheme, int[] tokens, KvBlockDigest? parent = null) =>
        scheme.HashDigests(tokens, BlockSize, parent).Select(d => (object)d.Key).ToArray();

    /// <summary>The same chain as full 32-byte digests (VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES=0).</summary>
    public static object[] EngineHashBytes(KvBlockHashScheme scheme, int[] tokens)
    {
        return scheme.HashDigests(tokens, BlockSize).Select(d =>
        {
            var bytes = new byte[32];
            d.CopyTo(bytes);
            return (object)bytes;
        }).ToArray();
    }

    public static byte[] Encode(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case int i: writer.Write(i); break;
            case long l: writer.Write(l); break;
            case ulong u: writer.Write(u); break;
            case double d: writer.Write(d); break;
            case string s: writer.Write(s); break;
            case byte[] bytes: writer.Write(bytes.AsSpan()); break;
            case (string, object?)[] map:
                writer.WriteMapHeader(map.Length);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item);
                }

                break;
            case object?[] array:
                writer.WriteArrayHeader(array.Length);
                foreach (var item in array)
                    Write(ref writer, item);
                break;
            default: throw new ArgumentException($"unsupported {value.GetType()}");
        }
    }
}
