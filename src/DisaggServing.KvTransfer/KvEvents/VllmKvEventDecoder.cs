using System.Buffers;
using System.Text;
using DisaggServing.Protocol.Kv;
using Nerdbank.MessagePack;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// Decodes the msgpack payload of vLLM's ZMQ KV-event publisher (<c>vllm/distributed/kv_events.py</c>): a msgspec
/// <c>KVEventBatch</c> <c>[ts, events, data_parallel_rank?]</c> whose events are tagged unions, in either layout vLLM
/// has shipped — array-like <c>["BlockStored", block_hashes, parent_block_hash, token_ids, block_size, lora_id,
/// medium, lora_name, extra_keys, group_idx, …]</c> (older releases) or maps keyed by field name with the tag under
/// <c>"type"</c> (newer ones); a batch given as a map is read too.
/// </summary>
/// <remarks>
/// Tolerant by design: unknown trailing array elements, unknown map keys and unknown event tags are skipped; block
/// hashes may be ints (<c>VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES</c>, the low 64 bits) or bytes (the full digest, keyed by
/// its last 8 bytes). A field of the wrong type marks only its event malformed; a payload that is not msgpack at all,
/// or is truncated, fails the whole batch (<see cref="TryDecode"/> returns false with a reason).
/// </remarks>
internal static class VllmKvEventDecoder
{
    private static readonly SerializationContext SkipContext = new();

    /// <summary>Decodes <paramref name="payload"/> into <paramref name="batch"/> (cleared first).</summary>
    /// <returns>False when the payload is not a KV event batch; <paramref name="error"/> says why.</returns>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, VllmKvEventBatch batch, out string? error)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Clear();
        try
        {
            var reader = new MessagePackReader(payload);
            error = ReadBatch(ref reader, batch);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException or InvalidOperationException)
        {
            error = $"not a msgpack KV event batch ({e.Message})";
        }

        if (error is not null)
            batch.Clear();
        return error is null;
    }

    private static string? ReadBatch(ref MessagePackReader reader, VllmKvEventBatch batch)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
            {
                var count = reader.ReadArrayHeader();
                if (count < 2)
                    return $"a KV event batch has at least [ts, events]; this array has {count} element(s)";
                batch.Timestamp = ReadTimestamp(ref reader);
                if (ReadEvents(ref reader, batch) is { } error)
                    return error;
                if (count > 2)
                    batch.DataParallelRank = ReadOptionalInt(ref reader, out _) ?? -1;
                for (var i = 3; i < count; i++)
                    reader.Skip(SkipContext);
                return null;
            }

            case MessagePackType.Map:
            {
                var count = reader.ReadMapHeader();
                var sawEvents = false;
                for (var i = 0; i < count; i++)
                {
                    var key = ReadKey(ref reader);
                    if (key.SequenceEqual("ts"u8))
                    {
                        batch.Timestamp = ReadTimestamp(ref reader);
                    }
                    else if (key.SequenceEqual("events"u8))
                    {
                        if (ReadEvents(ref reader, batch) is { } error)
                            return error;
                        sawEvents = true;
                    }
                    else if (key.SequenceEqual("data_parallel_rank"u8))
                    {
                        batch.DataParallelRank = ReadOptionalInt(ref reader, out _) ?? -1;
                    }
                    else
                    {
                        reader.Skip(SkipContext);
                    }
                }

                return sawEvents ? null : "the KV event batch map has no \"events\"";
            }

            default:
                return $"a KV event batch is a msgpack array or map, not {reader.NextMessagePackType}";
        }
    }

    private static double ReadTimestamp(ref MessagePackReader reader) => reader.NextMessagePackType switch
    {
        MessagePackType.Float => reader.ReadDouble(),
        MessagePackType.Integer => reader.ReadInt64(),
        _ => SkipValue(ref reader),
    };

    private static double SkipValue(ref MessagePackReader reader)
    {
        reader.Skip(SkipContext);
        return 0;
    }

    private static string? ReadEvents(ref MessagePackReader reader, VllmKvEventBatch batch)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
            return $"\"events\" is a msgpack array, not {reader.NextMessagePackType}";
        var count = reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            var e = new VllmKvEvent { HashStart = batch.Hashes.Count, TokenStart = batch.Tokens.Count, GroupIndex = -1, FirstKeyedBlock = int.MaxValue };
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    ReadArrayEvent(ref reader, batch, ref e);
                    break;
                case MessagePackType.Map:
                    ReadMapEvent(ref reader, batch, ref e);
                    break;
                default:
                    reader.Skip(SkipContext);
                    e.Malformed = true;
                    break;
            }

            e.HashCount = batch.Hashes.Count - e.HashStart;
            e.TokenCount = batch.Tokens.Count - e.TokenStart;
            batch.Events.Add(e);
        }

        return null;
    }

    // ["BlockStored", block_hashes, parent_block_hash, token_ids, block_size, lora_id, medium, lora_name, extra_keys, group_idx, ...]
    // ["BlockRemoved", block_hashes, medium, group_idx, ...]
    // ["AllBlocksCleared"]
    private static void ReadArrayEvent(ref MessagePackReader reader, VllmKvEventBatch batch, ref VllmKvEvent e)
    {
        var count = reader.ReadArrayHeader();
        if (count == 0)
        {
            e.Malformed = true;
            return;
        }

        e.Kind = ReadTag(ref reader, ref e);
        for (var field = 1; field < count; field++)
        {
            var name = e.Kind switch
            {
                VllmKvEventKind.BlockStored => field switch
                {
                    1 => Field.BlockHashes, 2 => Field.Parent, 3 => Field.TokenIds, 4 => Field.BlockSize, 5 => Field.LoraId,
                    6 => Field.Medium, 7 => Field.LoraName, 8 => Field.ExtraKeys, 9 => Field.GroupIndex, _ => Field.Other,
                },
                VllmKvEventKind.BlockRemoved => field switch
                {
                    1 => Field.BlockHashes, 2 => Field.Medium, 3 => Field.GroupIndex, _ => Field.Other,
                },
                _ => Field.Other,
            };
            ReadField(ref reader, batch, ref e, name);
        }
    }

    private static void ReadMapEvent(ref MessagePackReader reader, VllmKvEventBatch batch, ref VllmKvEvent e)
    {
        var count = reader.ReadMapHeader();
        var tagged = false;
        for (var i = 0; i < count; i++)
        {
            var key = ReadKey(ref reader);
            if (key.SequenceEqual("type"u8))
            {
                e.Kind = ReadTag(ref reader, ref e);
                tagged = true;
                continue;
            }

            var name = key switch
            {
                _ when key.SequenceEqual("block_hashes"u8) => Field.BlockHashes,
                _ when key.SequenceEqual("parent_block_hash"u8) => Field.Parent,
                _ when key.SequenceEqual("token_ids"u8) => Field.TokenIds,
                _ when key.SequenceEqual("block_size"u8) => Field.BlockSize,
                _ when key.SequenceEqual("lora_id"u8) => Field.LoraId,
                _ when key.SequenceEqual("medium"u8) => Field.Medium,
                _ when key.SequenceEqual("lora_name"u8) => Field.LoraName,
                _ when key.SequenceEqual("extra_keys"u8) => Field.ExtraKeys,
                _ when key.SequenceEqual("group_idx"u8) => Field.GroupIndex,
                _ => Field.Other,
            };
            ReadField(ref reader, batch, ref e, name);
        }

        if (!tagged)
            e.Malformed = true;
    }

    private static VllmKvEventKind ReadTag(ref MessagePackReader reader, ref VllmKvEvent e)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            reader.Skip(SkipContext);
            e.Malformed = true;
            return VllmKvEventKind.Unknown;
        }

        var tag = reader.ReadStringSpan();
        return tag.SequenceEqual("BlockStored"u8) ? VllmKvEventKind.BlockStored
            : tag.SequenceEqual("BlockRemoved"u8) ? VllmKvEventKind.BlockRemoved
            : tag.SequenceEqual("AllBlocksCleared"u8) ? VllmKvEventKind.AllBlocksCleared
            : VllmKvEventKind.Unknown;
    }

    private static void ReadField(ref MessagePackReader reader, VllmKvEventBatch batch, ref VllmKvEvent e, Field field)
    {
        switch (field)
        {
            case Field.BlockHashes:
                if (!ReadHashes(ref reader, batch.Hashes))
                    e.Malformed = true;
                break;
            case Field.Parent:
                if (reader.TryReadNil())
                    break;
                if (TryReadHash(ref reader, out var parent))
                {
                    e.HasParent = true;
                    e.Parent = parent;
                }
                else
                {
                    e.Malformed = true;
                }

                break;
            case Field.TokenIds:
                if (!ReadTokens(ref reader, batch.Tokens))
                    e.Malformed = true;
                break;
            case Field.BlockSize:
                if (ReadOptionalInt(ref reader, out var bad) is { } size)
                    e.BlockSize = size;
                e.Malformed |= bad;
                break;
            case Field.LoraId:
            case Field.LoraName:
                // A LoRA adapter is part of every block's vLLM hash (its name is an extra key).
                if (!reader.TryReadNil())
                {
                    reader.Skip(SkipContext);
                    e.FirstKeyedBlock = 0;
                }

                break;
            case Field.Medium:
                if (reader.TryReadNil())
                    break;
                if (reader.NextMessagePackType == MessagePackType.String)
                {
                    e.OffDevice = !Ascii.EqualsIgnoreCase(reader.ReadStringSpan(), "GPU"u8);
                }
                else
                {
                    reader.Skip(SkipContext);
                    e.Malformed = true;
                }

                break;
            case Field.ExtraKeys:
                ReadExtraKeys(ref reader, ref e);
                break;
            case Field.GroupIndex:
                if (ReadOptionalInt(ref reader, out var badGroup) is { } group)
                    e.GroupIndex = group;
                e.Malformed |= badGroup;
                break;
            default:
                reader.Skip(SkipContext);
                break;
        }
    }

    private static bool ReadHashes(ref MessagePackReader reader, List<ulong> hashes)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            reader.Skip(SkipContext);
            return false;
        }

        var count = reader.ReadArrayHeader();
        var ok = true;
        for (var i = 0; i < count; i++)
        {
            if (TryReadHash(ref reader, out var hash))
                hashes.Add(hash);
            else
                ok = false;
        }

        return ok;
    }

    private static bool TryReadHash(ref MessagePackReader reader, out ulong hash)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                // Negative encodings (an engine that sends signed 64-bit hashes) keep their bits.
                hash = IsSignedCode(reader.NextCode) ? unchecked((ulong)reader.ReadInt64()) : reader.ReadUInt64();
                return true;
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes() ?? default;
                if (bytes.IsEmpty)
                {
                    hash = 0;
                    return false;
                }

                hash = bytes.IsSingleSegment ? KvBlockDigest.KeyOf(bytes.FirstSpan) : KvBlockDigest.KeyOf(bytes.ToArray());
                return true;
            default:
                reader.Skip(SkipContext);
                hash = 0;
                return false;
        }
    }

    private static bool IsSignedCode(byte code) => code is >= 0xD0 and <= 0xD3 or >= 0xE0;

    private static bool ReadTokens(ref MessagePackReader reader, List<int> tokens)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            reader.Skip(SkipContext);
            return false;
        }

        var count = reader.ReadArrayHeader();
        var ok = true;
        for (var i = 0; i < count; i++)
        {
            if (reader.NextMessagePackType == MessagePackType.Integer)
            {
                tokens.Add(reader.ReadInt32());
            }
            else
            {
                reader.Skip(SkipContext);
                ok = false;
            }
        }

        return ok;
    }

    // extra_keys: None, or one entry per block: None, or a tuple of keys (LoRA name, (mm_hash, offset), salt, embeds digest).
    private static void ReadExtraKeys(ref MessagePackReader reader, ref VllmKvEvent e)
    {
        if (reader.TryReadNil())
            return;
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            reader.Skip(SkipContext);
            e.Malformed = true;
            return;
        }

        var count = reader.ReadArrayHeader();
        for (var i = 0; i < count; i++)
        {
            if (reader.TryReadNil())
                continue;
            reader.Skip(SkipContext);
            e.FirstKeyedBlock = Math.Min(e.FirstKeyedBlock, i);
        }
    }

    private static int? ReadOptionalInt(ref MessagePackReader reader, out bool malformed)
    {
        malformed = false;
        if (reader.TryReadNil())
            return null;
        if (reader.NextMessagePackType == MessagePackType.Integer)
            return reader.ReadInt32();
        reader.Skip(SkipContext);
        malformed = true;
        return null;
    }

    private static ReadOnlySpan<byte> ReadKey(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType == MessagePackType.String)
            return reader.ReadStringSpan();
        reader.Skip(SkipContext);
        return default;
    }

    private enum Field
    {
        Other,
        BlockHashes,
        Parent,
        TokenIds,
        BlockSize,
        LoraId,
        Medium,
        LoraName,
        ExtraKeys,
        GroupIndex,
    }
}
