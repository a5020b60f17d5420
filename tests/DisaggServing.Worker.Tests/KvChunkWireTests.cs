using System.Buffers;
using System.IO.Hashing;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Kv;
using Google.Protobuf;

namespace DisaggServing.Worker.Tests;

/// <summary>The hand-written KvBlockChunk marshallers against the generated protobuf code: same wire format both ways.</summary>
public sealed class KvChunkWireTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(17, 3, 7)]
    [InlineData(123456, 127, 1280)]
    [InlineData(-5, 128, 3 * 4096 + 5)]
    public void An_outgoing_chunk_parses_as_the_protobuf_message(int blockId, int index, int length)
    {
        var chunk = new OutgoingKvChunk(blockId, index, KvPayload.Pattern("prefill-0", "req-1", index), length);

        var bytes = Serialize(chunk);
        var parsed = KvBlockChunk.Parser.ParseFrom(bytes);

        Assert.Equal(chunk.SerializedSize, bytes.Length);
        Assert.Equal(blockId, parsed.BlockId);
        Assert.Equal(index, parsed.Index);
        var expected = KvPayload.Create("prefill-0", "req-1", index, length);
        Assert.Equal(expected, parsed.Payload.ToByteArray());
        Assert.Equal(XxHash3.HashToUInt64(expected), parsed.Checksum);
    }

    [Fact]
    public void A_corrupt_outgoing_chunk_flips_its_first_byte_after_hashing()
    {
        var parsed = KvBlockChunk.Parser.ParseFrom(Serialize(new OutgoingKvChunk(1, 0, KvPayload.Pattern("p", "r", 0), 5000, Corrupt: true)));

        var expected = KvPayload.Create("p", "r", 0, 5000);
        Assert.Equal(KvPayload.Checksum(expected), parsed.Checksum);
        Assert.NotEqual(parsed.Checksum, KvPayload.Checksum(parsed.Payload.Span));
        Assert.Equal(expected[0] ^ 0xFF, parsed.Payload[0]);
        Assert.Equal(expected.AsSpan(1).ToArray(), parsed.Payload.Span[1..].ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(70000)]
    public void A_received_protobuf_chunk_reports_its_fields_and_checks_out(int length)
    {
        var payload = KvPayload.Create("prefill-0", "req-1", 4, length);
        var bytes = new KvBlockChunk { BlockId = 99, Index = 4, Payload = ByteString.CopyFrom(payload), Checksum = KvPayload.Checksum(payload) }.ToByteArray();

        var chunk = ReceivedKvChunk.Parse(bytes);

        Assert.Equal(99, chunk.BlockId);
        Assert.Equal(4, chunk.Index);
        Assert.Equal(length, chunk.Length);
        Assert.Equal(chunk.Checksum, chunk.ActualChecksum);
        Assert.True(chunk.Holds(KvPayload.Seed("prefill-0", "req-1", 4)));
        Assert.False(chunk.Holds(KvPayload.Seed("prefill-0", "req-1", 3)));
        Assert.False(chunk.Holds(KvPayload.Seed("prefill-0", "req-2", 4)));
        Assert.False(chunk.Holds(KvPayload.Seed("prefill-1", "req-1", 4)));
    }

    [Fact]
    public void A_corrupted_byte_anywhere_in_a_received_block_is_caught_even_with_a_matching_checksum()
    {
        // Corrupted before it was hashed (so the checksum agrees): only the content check can tell.
        var seed = KvPayload.Seed("prefill-0", "req-1", 0);
        var length = 2 * KvPayloadPattern.PageBytes + 9;
        var payload = KvPayload.Create("prefill-0", "req-1", 0, length);
        for (var i = 0; i < length; i++)
        {
            payload[i] ^= 0x01;
            var chunk = ReceivedKvChunk.Parse(Message(payload, KvPayload.Checksum(payload)));
            Assert.Equal(chunk.Checksum, chunk.ActualChecksum);
            Assert.False(chunk.Holds(seed), $"byte {i}");
            payload[i] ^= 0x01;
        }
        Assert.True(ReceivedKvChunk.Parse(Message(payload, KvPayload.Checksum(payload))).Holds(seed));
    }

    [Fact]
    public void A_received_chunk_corrupted_after_hashing_fails_its_checksum()
    {
        var payload = KvPayload.Create("p", "r", 0, 300);
        var checksum = KvPayload.Checksum(payload);
        payload[299] ^= 0x80;

        var chunk = ReceivedKvChunk.Parse(Message(payload, checksum));

        Assert.NotEqual(chunk.Checksum, chunk.ActualChecksum);
    }

    [Fact]
    public void Field_order_and_unknown_fields_do_not_matter_to_the_reader()
    {
        var payload = KvPayload.Create("p", "r", 2, 40);
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(4, WireFormat.WireType.Fixed64);
        output.WriteFixed64(KvPayload.Checksum(payload));
        output.WriteTag(9, WireFormat.WireType.LengthDelimited);
        output.WriteString("from a newer sender");
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
        output.WriteTag(10, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        output.WriteTag(11, WireFormat.WireType.Fixed32);
        output.WriteFixed32(7);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt32(2);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(-3);
        output.Flush();

        var chunk = ReceivedKvChunk.Parse(stream.ToArray());

        Assert.Equal(-3, chunk.BlockId);
        Assert.Equal(2, chunk.Index);
        Assert.Equal(40, chunk.Length);
        Assert.Equal(chunk.Checksum, chunk.ActualChecksum);
        Assert.True(chunk.Holds(KvPayload.Seed("p", "r", 2)));
    }

    [Fact]
    public void Malformed_chunks_are_invalid_data()
    {
        var whole = Message(KvPayload.Create("p", "r", 0, 100), 1);

        Assert.Throws<InvalidDataException>(() => ReceivedKvChunk.Parse(whole.AsSpan(0, whole.Length - 3)));
        Assert.Throws<InvalidDataException>(() => ReceivedKvChunk.Parse([0x08, 0x80]));
        Assert.Throws<InvalidDataException>(() => ReceivedKvChunk.Parse([0x0B]));
        Assert.Throws<InvalidDataException>(() => ReceivedKvChunk.Parse([0x00, 0x01]));
    }

    private static byte[] Message(byte[] payload, ulong checksum) =>
        new KvBlockChunk { BlockId = 1, Index = 0, Payload = ByteString.CopyFrom(payload), Checksum = checksum }.ToByteArray();

    private static byte[] Serialize(OutgoingKvChunk chunk)
    {
        // Small segments, as Kestrel's pipe hands out: the payload is written in many slices.
        var writer = new SegmentedWriter(4096);
        chunk.WriteTo(writer);
        return writer.ToArray();
    }

    private sealed class SegmentedWriter(int segment) : IBufferWriter<byte>
    {
        private readonly MemoryStream written = new();
        private byte[] current = [];

        public void Advance(int count) => written.Write(current, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0) => current = new byte[Math.Max(sizeHint, segment)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => written.ToArray();
    }
}
