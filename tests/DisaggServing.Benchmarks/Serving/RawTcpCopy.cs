using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// The ceiling for a KV pull on this machine: one established loopback TCP connection inside this process, a sender
/// writing <c>n</c> bytes from a buffer and a receiver reading them into a buffer, each on its own thread, with
/// generous user buffers and the kernel's own socket buffer sizing (as Kestrel and SocketsHttpHandler use).
/// </summary>
internal sealed class RawTcpCopy : IDisposable
{
    private readonly Socket sender;
    private readonly Socket receiver;
    private readonly byte[] sendBuffer;
    private readonly byte[] receiveBuffer;

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
        Random.Shared.NextBytes(sendBuffer);
        receiveBuffer = new byte[bufferBytes];
    }

    /// <summary>Copies <paramref name="bytes"/> bytes from sender to receiver; the time from the first send to the last byte received.</summary>
    public TimeSpan Copy(long bytes)
    {
        var start = Stopwatch.GetTimestamp();
        var send = new Thread(() =>
        {
            for (var left = bytes; left > 0;)
                left -= sender.Send(sendBuffer, 0, (int)Math.Min(left, sendBuffer.Length), SocketFlags.None);
        }) { IsBackground = true, Name = "tcp-send" };
        send.Start();
        for (var received = 0L; received < bytes;)
        {
            var n = receiver.Receive(receiveBuffer, 0, (int)Math.Min(bytes - received, receiveBuffer.Length), SocketFlags.None);
            if (n == 0)
                throw new IOException("The loopback connection closed.");
            received += n;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        send.Join();
        return elapsed;
    }

    public void Dispose()
    {
        sender.Dispose();
        receiver.Dispose();
    }
}
