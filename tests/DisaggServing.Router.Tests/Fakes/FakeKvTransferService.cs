using System.Collections.Concurrent;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Protocol.KvTransfer;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>A KV-transfer service on h2c gRPC: a registry listing set engines and a KV index answering set matches.</summary>
public sealed class FakeKvTransferService : IAsyncDisposable
{
    private WebApplication _app = null!;

    public List<RegisteredEngine> Engines { get; } = [];
    public ConcurrentDictionary<string, int> Matches { get; } = new();
    public ConcurrentQueue<PrefixQuery> Queries { get; } = new();
    public ConcurrentQueue<LeaseRequest> Releases { get; } = new();
    public int Port => new Uri(Url).Port;
    public string Url { get; private set; } = "";

    public static async Task<FakeKvTransferService> StartAsync()
    {
        var service = new FakeKvTransferService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<Registry>();
        app.MapGrpcService<Index>();
        app.MapGrpcService<Peer>();
        await app.StartAsync();
        service._app = app;
        service.Url = app.Urls.First().TrimEnd('/');
        return service;
    }

    public void Add(string id, string role, string address, int running = 0)
    {
        lock (Engines)
            Engines.Add(new RegisteredEngine
            {
                Engine = new EngineInfo { EngineId = id, Role = role, HttpAddress = address, BlockSize = 16 },
                Load = new EngineLoad { Running = running },
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Registry(FakeKvTransferService service) : EngineRegistry.EngineRegistryBase
    {
        public override Task<ListEnginesReply> ListEngines(ListEnginesRequest request, ServerCallContext context)
        {
            var reply = new ListEnginesReply();
            lock (service.Engines) reply.Engines.AddRange(service.Engines);
            return Task.FromResult(reply);
        }
    }

    private sealed class Peer(FakeKvTransferService service) : KvPeer.KvPeerBase
    {
        public override Task<LeaseReply> ReleaseLease(LeaseRequest request, ServerCallContext context)
        {
            service.Releases.Enqueue(request);
            return Task.FromResult(new LeaseReply { Found = true });
        }
    }

    private sealed class Index(FakeKvTransferService service) : KvIndex.KvIndexBase
    {
        public override Task<PrefixReply> FindLongestPrefix(PrefixQuery request, ServerCallContext context)
        {
            service.Queries.Enqueue(request);
            var reply = new PrefixReply();
            foreach (var (engine, blocks) in service.Matches)
                reply.Matches.Add(new EnginePrefix { EngineId = engine, MatchedBlocks = Math.Min(blocks, request.BlockHashes.Count) });
            // As the real service: registered (simulated) workers publish KV events, so the index knows their blocks.
            lock (service.Engines) reply.EventFedEngines.AddRange(service.Engines.Select(e => e.Engine.EngineId));
            return Task.FromResult(reply);
        }
    }
}
