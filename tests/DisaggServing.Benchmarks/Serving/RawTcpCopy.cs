using System.Diagnostics;
using System.IO.Hashing;
using System.Net;
using System.Net.Sockets;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// The ceiling for a KV pull on this machine: one established loopback TCP connection inside this process, a sender
/// writing <c>n</c> bytes from a buffer and a receiver reading them into a buffer, each on its own thread, with
/// generous user buffers and the kernel's own socket buffer sizing (as Kestrel and SocketsHttpHandler use).
/// With <c>payloadWork</c>, each side also does what a KV pull does to the bytes: the sender fills its buffer from
/// the block's bytes and hashes it (XXH3), the receiver hashes what arrives and compares every byte with the expected.
/// </summary>
internal sealed class RawTcpCopy : IDisposable
{
    private readonly Socket sender;
    private readonly Socket receiver;
    private readonly byte[] sendBuffer;
    private readonly byte[] receiveBuffer;
    private readonly byte[] content;

    public RawTcpCopy(int bufferBytes = 1 << 20)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        sender.Connect(listener.LocalEndPoint!);
        receiver = listener.Accept();
        receiver.NoDelay = true;
        sendBuffer = new byte[bufferBytes];
        receiveBuffer = new byte[bufferBytes];
        content = new byte[bufferBytes];
        Random.Shared.NextBytes(content);
        content.CopyTo(sendBuffer, 0);
    }

    /// <summary>Copies <paramref name="bytes"/> bytes from sender to receiver; the time from the first send to the last byte received.</summary>
    public TimeSpan Copy(long bytes, bool payloadWork = false)
    {
        var start = Stopwatch.GetTimestamp();
        var send = new Thread(() => Send(bytes, payloadWork)) { IsBackground = true, Name = "tcp-send" };
        send.Start();
        var hash = new XxHash3();
        for (var received = 0L; received < bytes;)
        {
            var n = receiver.Receive(receiveBuffer, 0, (int)Math.Min(bytes - received, receiveBuffer.Length), SocketFlags.None);
            if (n == 0)
                throw new IOException("The loopback connection closed.");
            if (payloadWork)
            {
                var got = receiveBuffer.AsSpan(0, n);
                hash.Append(got);
                for (var done = 0; done < n;)
                {
                    var at = (int)((received + done) % content.Length);
                    var m = Math.Min(n - done, content.Length - at);
                    if (!got.Slice(done, m).SequenceEqual(content.AsSpan(at, m)))
                        throw new InvalidDataException("The loopback copy corrupted a byte.");
                    done += m;
                }
            }
            received += n;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        send.Join();
        GC.KeepAlive(hash.GetCurrentHashAsUInt64());
        return elapsed;
    }

    private void Send(long bytes, bool payloadWork)
    {
        var hash = new XxHash3();
        for (var left = bytes; left > 0;)
        {
            var n = (int)Math.Min(left, sendBuffer.Length);
            if (payloadWork)
            {
                content.AsSpan(0, n).CopyTo(sendBuffer);
                hash.Append(sendBuffer.AsSpan(0, n));
            }
            for (var sent = 0; sent < n;)
                sent += sender.Send(sendBuffer, sent, n - sent, SocketFlags.None);
            left -= n;
        }
        GC.KeepAlive(hash.GetCurrentHashAsUInt64());
    }

    public void Dispose()
    {
        sender.Dispose();
        receiver.Dispose();
    }
}
