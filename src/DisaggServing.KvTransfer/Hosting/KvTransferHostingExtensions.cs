using DisaggServing.KvTransfer.Grpc;
using DisaggServing.KvTransfer.Http;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.KvEvents;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Telemetry;
using DisaggServing.Protocol.Prometheus;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DisaggServing.KvTransfer.Hosting;

/// <summary>Wires the KV-transfer service into a web application: services, listeners and endpoints.</summary>
public static class KvTransferHostingExtensions
{
    /// <summary>
    /// Adds the registry, index, telemetry, gRPC and the expiry sweeper, and binds Kestrel to two listeners: gRPC
    /// over h2c (HTTP/2 only) and HTTP/1.1, per <see cref="KvTransferOptions"/>.
    /// </summary>
    public static WebApplicationBuilder AddKvTransfer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(KvTransferOptions.SectionName);
        var options = section.Get<KvTransferOptions>() ?? new KvTransferOptions();
        var timings = new RegistryTimings(
            TimeSpan.FromSeconds(options.HeartbeatIntervalSeconds), TimeSpan.FromSeconds(options.ExpirySeconds));
        if (!(options.SweepIntervalSeconds > 0))
            throw new InvalidOperationException($"KvTransfer:SweepIntervalSeconds must be positive; it is {options.SweepIntervalSeconds}.");
        var kvEventsSection = builder.Configuration.GetSection(KvEventsOptions.SectionName);
        (kvEventsSection.Get<KvEventsOptions>() ?? new KvEventsOptions()).Validate();
        var plan = ListenerPlan.Resolve(options, builder.Configuration["urls"], builder.Configuration["http_ports"]);

        var services = builder.Services;
        services.Configure<KvTransferOptions>(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(timings);
        services.AddSingleton(plan);
        var bound = new BoundEndpoints();
        services.AddSingleton(bound);
        services.AddSingleton<KvBlockIndex>();
        services.AddSingleton<KvTransferMetrics>();
        services.AddSingleton<IEngineMembershipListener>(sp => sp.GetRequiredService<KvBlockIndex>());
        services.AddSingleton<IEngineMembershipListener>(sp => sp.GetRequiredService<KvTransferMetrics>());
        services.AddSingleton<ITelemetryObserver>(sp => sp.GetRequiredService<KvTransferMetrics>());
        services.AddSingleton<EngineRegistry>();
        services.AddSingleton<TelemetryAggregator>();
        services.AddHostedService<EngineExpirySweeper>();
        services.Configure<KvEventsOptions>(kvEventsSection);
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        services.AddSingleton<KvEventSubscriber>();
        services.AddHostedService(sp => sp.GetRequiredService<KvEventSubscriber>());
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.MaxMessageBytes);

        // These listeners replace ASPNETCORE_URLS (Kestrel logs that it overrides them; the HTTP port came from them).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ListenOptions? grpc = null;
            ListenOptions? http = null;
            Listen(kestrel, plan.Address, plan.GrpcPort, o => (grpc = o).Protocols = HttpProtocols.Http2);
            Listen(kestrel, plan.Address, plan.HttpPort, o => (http = o).Protocols = HttpProtocols.Http1);
            bound.Track(grpc!, http!);
        });
        return builder;
    }

    /// <summary>Maps the gRPC services, <c>/metrics</c> and the JSON views (<c>/engines</c>, <c>/stats</c>, <c>/kv-events</c>).</summary>
    public static WebApplication MapKvTransfer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        services.GetRequiredService<KvTransferMetrics>().ObserveState(
            services.GetRequiredService<EngineRegistry>(),
            services.GetRequiredService<KvBlockIndex>(),
            services.GetRequiredService<TelemetryAggregator>());

        app.MapGrpcService<EngineRegistryGrpcService>();
        app.MapGrpcService<KvIndexGrpcService>();
        app.MapGrpcService<KvTelemetryGrpcService>();
        app.MapGet("/metrics", (TelemetryAggregator telemetry, EngineRegistry registry, KvBlockIndex index, KvTransferMetrics metrics) =>
            Results.Text(KvTransferPrometheus.Render(telemetry, registry, index, metrics), PrometheusText.ContentType));
        app.MapJsonViews();
        app.MapGet("/kv-events", (KvEventSubscriber subscriber, KvBlockIndex index) =>
            Results.Json(new { Subscriptions = subscriber.Sources, index.EventFedEngines }, Protocol.OpenAi.JsonDefaults.Options));

        var bound = services.GetRequiredService<BoundEndpoints>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("DisaggServing.KvTransfer");
        var timings = services.GetRequiredService<RegistryTimings>();
        app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "KV-transfer service: gRPC (h2c) on {Grpc}, HTTP/1.1 on {Http}; heartbeat every {Interval} s, expiry {Expiry} s",
            bound.Grpc, bound.Http, timings.HeartbeatInterval.TotalSeconds, timings.Expiry.TotalSeconds));
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, System.Net.IPAddress? address, int port, Action<ListenOptions> configure)
    {
        if (address is null)
            kestrel.ListenAnyIP(port, configure);
        else
            kestrel.Listen(address, port, configure);
    }
}
