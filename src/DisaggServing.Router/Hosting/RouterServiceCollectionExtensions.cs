using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Discovery;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.FlowControl;
using DisaggServing.Router.Models;
using DisaggServing.Router.Monitoring;
using DisaggServing.Router.Proxy;
using DisaggServing.Router.Requests;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins;
using DisaggServing.Router.Telemetry;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Hosting;

/// <summary>Registers the router's services from the <c>Router</c> configuration section.</summary>
public static class RouterServiceCollectionExtensions
{
    /// <summary>Adds the router: options, listening address, endpoint catalog, scheduling, proxy, discovery, monitoring, metrics.</summary>
    public static WebApplicationBuilder AddRouter(this WebApplicationBuilder builder)
    {
        var options = RouterOptionsLoader.Load(builder.Configuration);
        if (ListenAddress.Resolve(builder.Configuration, options) is { } url) builder.WebHost.UseUrls(url);
        // The router enforces Router:MaxBodyBytes itself (OpenAI-shaped 413).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(BuiltInPlugins.CreateRegistry());
        services.AddSingleton(_ => new EndpointCatalog(options));
        services.TryAddSingleton<IDnsResolver, SystemDnsResolver>();
        services.AddSingleton<DnsRefreshService>();
        services.AddHostedService(sp => sp.GetRequiredService<DnsRefreshService>());
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton(_ => new RouterMetrics(Prometheus.Metrics.NewCustomRegistry()));
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<PrefillCaller>();
        services.AddSingleton<DecodeCaller>();
        services.AddSingleton<StreamMigrator>();
        services.AddSingleton<ResponseRelay>();
        services.AddSingleton<AbandonedLeaseReleaser>();
        services.AddSingleton<PdProxy>();
        services.AddSingleton<RequestValidator>();
        services.AddSingleton(new ApiKeyAuthenticator(options.ApiKeys));
        services.AddFlowControl(options.FlowControl);
        services.AddSingleton<CompletionsEndpoint>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<EndpointMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<EndpointMonitor>());
        services.AddSingleton(sp => CreateProfileHandler(sp, builder.Configuration.GetSection("Router:Scheduling"), options));

        // The KV index (exact, from engines' KV events) behind the routing-history estimate for engines without events.
        services.TryAddSingleton<IPrefixIndex>(sp =>
        {
            IPrefixIndex events = string.IsNullOrWhiteSpace(options.KvTransferUrl)
                ? new NullPrefixIndex()
                : new KvIndexPrefixIndex(
                    new KvIndex.KvIndexClient(sp.GetRequiredService<GrpcChannel>()),
                    TimeSpan.FromMilliseconds(Math.Max(1, options.PrefixLookupTimeoutMs)),
                    sp.GetRequiredService<ILogger<KvIndexPrefixIndex>>());
            var approximate = options.ApproximatePrefix;
            return approximate.Enabled
                ? new HistoryBackedPrefixIndex(events, new RoutingHistoryIndex(
                    approximate.BlocksPerEngine, TimeSpan.FromSeconds(approximate.TtlSeconds), sp.GetRequiredService<TimeProvider>()))
                : events;
        });
        if (!string.IsNullOrWhiteSpace(options.KvTransferUrl))
        {
            services.AddSingleton(_ => GrpcChannel.ForAddress(options.KvTransferUrl, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    UseProxy = false,
                    EnableMultipleHttp2Connections = true,
                    ConnectTimeout = TimeSpan.FromSeconds(2),
                    KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                },
            }));
            services.TryAddSingleton<IEngineDirectory>(sp => new RegistryEngineDirectory(
                new EngineRegistry.EngineRegistryClient(sp.GetRequiredService<GrpcChannel>())));
            services.AddSingleton<DiscoveryService>();
            services.AddHostedService(sp => sp.GetRequiredService<DiscoveryService>());
        }

        var revisions = builder.Configuration.GetSection(RevisionOptions.SectionName).Get<RevisionOptions>() ?? new RevisionOptions();
        if (revisions.Enabled)
        {
            services.AddSingleton(revisions);
            services.TryAddSingleton<IRevisionSource>(_ => KubernetesRevisionSource.InCluster(revisions));
            services.AddSingleton<RevisionDiscoveryService>();
            services.AddHostedService(sp => sp.GetRequiredService<RevisionDiscoveryService>());
        }

        services.AddHealthChecks().AddCheck<EngineReadinessCheck>("engines");
        return builder;
    }

    private static EndpointScheduler CreateProfileHandler(IServiceProvider services, IConfiguration scheduling, RouterOptions options)
    {
        var registry = services.GetRequiredService<PluginRegistry>();
        var time = services.GetRequiredService<TimeProvider>();
        var defaults = new SchedulingOptions { ErrorCooldownMs = options.ErrorCooldownMs };
        var decode = registry.Build(SchedulingConfigReader.Read(scheduling, SchedulingConfigReader.Decode), defaults, time);
        var prefill = registry.Build(SchedulingConfigReader.Read(scheduling, SchedulingConfigReader.Prefill), defaults, time);
        return new EndpointScheduler(
            decode, prefill, new PdDecider(options.Decider.MinUncachedTokens),
            services.GetRequiredService<IPrefixIndex>(), services.GetRequiredService<EndpointCatalog>());
    }
}
