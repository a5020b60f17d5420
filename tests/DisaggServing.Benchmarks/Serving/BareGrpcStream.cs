using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// What gRPC itself costs: a server-streaming call on loopback h2c from a server process of its own (Kestrel and
/// Grpc.AspNetCore, as the worker serves) to this process (Grpc.Net.Client over SocketsHttpHandler with the worker's
/// 16 MiB stream window, as the worker pulls), messages of one KV block's size whose bytes the server copies from one
/// buffer and the client does not touch. No payload work, no engine: the floor under a KV pull on this stack.
/// </summary>
internal sealed class BareGrpcStream : IAsyncDisposable
{
    private const int StreamWindowBytes = 16 * 1024 * 1024; // as PeerChannels.StreamWindowBytes
    private static readonly Method<Ask, Block> StreamMethod = new(MethodType.ServerStreaming, "bench.Bulk", "Stream",
        new Marshaller<Ask>(
            (ask, context) =>
            {
                var bytes = new byte[12];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, ask.Bytes);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), ask.MessageBytes);
                context.Complete(bytes);
            },
            context =>
            {
                var bytes = context.PayloadAsNewBuffer();
                return new Ask(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
            }),
        new Marshaller<Block>(
            (block, context) =>
            {
                context.SetPayloadLength(block.Length);
                var writer = context.GetBufferWriter();
                for (var done = 0; done < block.Length;)
                {
                    var span = writer.GetSpan();
                    var from = done % block.Source.Length;
                    var n = Math.Min(Math.Min(span.Length, block.Length - done), block.Source.Length - from);
                    block.Source.AsSpan(from, n).CopyTo(span);
                    writer.Advance(n);
                    done += n;
                }
                context.Complete();
            },
            context => new Block(context.PayloadLength, [])));

    private readonly ServiceProcess server;
    private readonly GrpcChannel channel;

    private BareGrpcStream(ServiceProcess server, GrpcChannel channel)
    {
        this.server = server;
        this.channel = channel;
    }

    /// <summary>Starts the server as its own process (<c>kv --serve-bare-grpc HTTP_PORT,GRPC_PORT</c>) and a channel to it.</summary>
    public static async Task<BareGrpcStream> StartAsync(string logDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var httpPort = ServiceHosts.FreePort();
        var grpcPort = ServiceHosts.FreePort();
        var server = await ServiceProcess.StartAsync("bare-grpc", ServiceHosts.BenchmarksDll, new Uri($"http://127.0.0.1:{httpPort}/"), environment, logDirectory,
            ["kv", "--serve-bare-grpc", $"{httpPort},{grpcPort}"]).ConfigureAwait(false);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, InitialHttp2StreamWindowSize = StreamWindowBytes },
            MaxReceiveMessageSize = null,
        });
        return new BareGrpcStream(server, channel);
    }

    /// <summary>The server: <c>/health</c> on HTTP/1.1 at <paramref name="httpPort"/>, the stream on h2c at <paramref name="grpcPort"/>.</summary>
    public static async Task<int> ServeAsync(int httpPort, int grpcPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddHealthChecks();
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = null;
            o.IgnoreUnknownServices = true;
        });
        builder.Services.AddSingleton<BulkService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<BulkService>, BulkMethods>());
        var app = builder.Build();
        app.MapHealthChecks("/health");
        app.MapGrpcService<BulkService>();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>CPU the server process has used so far.</summary>
    public TimeSpan ServerCpuTime => server.CpuTime;

    /// <summary>Streams <paramref name="bytes"/> in messages of <paramref name="messageBytes"/>; the time from the call to the last message.</summary>
    public async Task<TimeSpan> StreamAsync(long bytes, int messageBytes)
    {
        var start = Stopwatch.GetTimestamp();
        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(StreamMethod, null, new CallOptions(), new Ask(bytes, messageBytes));
        long received = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            received += call.ResponseStream.Current.Length;
        var elapsed = Stopwatch.GetElapsedTime(start);
        return received == bytes ? elapsed : throw new InvalidOperationException($"Bare gRPC stream delivered {received:N0} of {bytes:N0} B.");
    }

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await server.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Ask(long Bytes, int MessageBytes);

    private sealed record Block(int Length, byte[] Source);

    private sealed class BulkService
    {
        private readonly byte[] source = CreateSource();

        public async Task Stream(Ask ask, IServerStreamWriter<Block> writer, ServerCallContext context)
        {
            for (var sent = 0L; sent < ask.Bytes; sent += ask.MessageBytes)
                await writer.WriteAsync(new Block((int)Math.Min(ask.MessageBytes, ask.Bytes - sent), source), context.CancellationToken).ConfigureAwait(false);
        }

        private static byte[] CreateSource()
        {
            var bytes = new byte[1 << 20];
            Random.Shared.NextBytes(bytes);
            return bytes;
        }
    }

    private sealed class BulkMethods : IServiceMethodProvider<BulkService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BulkService> context) =>
            context.AddServerStreamingMethod(StreamMethod, [], (service, ask, writer, call) => service.Stream(ask, writer, call));
    }
}
