using System.Buffers.Binary;
using NetMQ;
using NetMQ.Sockets;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// vLLM's replay protocol (<c>ZmqEventPublisher._service_replay</c>): a DEALER sends <c>[b"", start_seq (8 bytes,
/// big-endian)]</c> to the publisher's ROUTER (<c>replay_endpoint</c>), which answers <c>[b"", seq, payload]</c> per
/// buffered batch from <c>start_seq</c> on, then <c>[b"", -1, b""]</c>. Blocking, bounded by <paramref name="timeout"/>;
/// runs on the subscription's thread so replayed and live batches stay in order.
/// </summary>
internal sealed class ZmqKvEventReplay(string endpoint, TimeSpan timeout) : IKvEventReplay
{
    private const long EndOfReplay = -1;

    /// <summary>The publisher's replay endpoint.</summary>
    public string Endpoint => endpoint;

    public IReadOnlyList<(ulong Sequence, byte[] Payload)>? Fetch(ulong fromSequence)
    {
        using var dealer = new DealerSocket();
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Connect(endpoint);
        var start = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(start, fromSequence);
        if (!dealer.TrySendFrameEmpty(timeout, more: true) || !dealer.TrySendFrame(timeout, start))
            return null;

        var batches = new List<(ulong, byte[])>();
        var deadline = DateTime.UtcNow + timeout;
        var frames = new List<byte[]>(3);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !dealer.TryReceiveMultipartBytes(left, ref frames, 3))
                return null;
            // [b"", seq, payload]; tolerate a reply without the empty delimiter.
            var offset = frames.Count == 3 && frames[0].Length == 0 ? 1 : 0;
            if (frames.Count - offset != 2 || frames[offset].Length != 8)
                return null;
            var sequence = BinaryPrimitives.ReadInt64BigEndian(frames[offset]);
            if (sequence == EndOfReplay)
                return batches;
            batches.Add(((ulong)sequence, frames[offset + 1]));
        }
    }
}
