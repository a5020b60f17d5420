using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Prometheus;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Api;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.ControlPlane;
using DisaggServing.Worker.Group;
using DisaggServing.Worker.Runtime;
using DisaggServing.Worker.Kv;
using DisaggServing.Worker.Observability;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DisaggServing.Worker.Hosting;

/// <summary>Builds the worker: configuration → engine, Kestrel endpoints, services and routes. Program.cs only runs it.</summary>
public static class WorkerApp
{
    /// <summary>Key of the engine's (simulated, scaled) clock in DI; the host's own TimeProvider stays the system clock.</summary>
    public const string EngineClock = "engine";

    /// <summary>Builds the app; throws <see cref="WorkerConfigurationException"/> for a configuration it cannot run.</summary>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var group = GroupSettings.Resolve(builder.Configuration);
        var settings = WorkerSettings.Resolve(BindOptions(builder.Configuration), group);
        // A worker rank of a LeaderWorkerSet group runs no engine: it joins its leader, which serves.
        if (group is { IsLeader: false }) return RankApp.Create(builder, settings, group);
        var endpoints = new WorkerEndpoints(settings.AdvertisedHost);
        builder.WebHost.ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, settings, builder.Configuration, endpoints));

        builder.AddServiceDefaults();
        builder.Services.AddGrpc(o =>
        {
            // No catch-all "unimplemented service" routes: they would shadow the API's 405s.
            o.IgnoreUnknownServices = true;
            o.MaxReceiveMessageSize = 16 * 1024 * 1024;
            o.MaxSendMessageSize = null;
        });
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(endpoints);
        services.AddSingleton<IKvSideChannelAddress>(endpoints);
        services.AddKeyedSingleton(EngineClock, EngineHost.CreateClock(settings));
        services.AddSingleton<FaultState>();
        services.AddSingleton<ICrashAction, ProcessCrash>();
        services.AddSingleton<WorkerMetrics>();
        services.AddSingleton<PeerChannels>();
        services.AddSingleton<KvDataChannelClient>();
        services.AddSingleton<KvDataChannelServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<KvPeerService>, KvPeerMethodProvider>());
        services.AddSingleton<KvGrpcTransport>();
        services.AddSingleton<KvTcpTransport>();
        // In order of preference: the data channel first, gRPC (which every peer speaks) last.
        services.AddSingleton<IKvTransport>(sp => sp.GetRequiredService<KvTcpTransport>());
        services.AddSingleton<IKvTransport>(sp => sp.GetRequiredService<KvGrpcTransport>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<KvPuller>(sp, sp.GetRequiredKeyedService<TimeProvider>(EngineClock)));
        services.AddSingleton<IRemoteKvLoader, RemoteKvLoader>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EngineHost>(sp, sp.GetRequiredKeyedService<TimeProvider>(EngineClock)));
        services.AddSingleton<IKvLeases>(sp => sp.GetRequiredService<EngineHost>());
        services.AddHostedService(sp => sp.GetRequiredService<EngineHost>());
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton<ServedSince>();
        AddControlPlane(services, settings);
        // Drains in the host's stopping phase: everything, the web server included, still runs meanwhile.
        services.AddSingleton<WorkerDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerDrain>());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.DrainGrace + TimeSpan.FromSeconds(10));
        services.AddHealthChecks().AddCheck<EngineReadyCheck>("engine");
        if (group is not null) services.AddGroupLeader(group, settings);
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseOpenAiErrors();
        var drain = app.Services.GetRequiredService<WorkerDrain>();
        app.Use(drain.GateAsync);
        app.MapDefaultEndpoints();
        app.MapGrpcService<KvPeerService>();
        app.MapOpenAiEndpoints();
        app.MapAdminEndpoints();
        app.MapGet("/metrics", (WorkerMetrics metrics) => Results.Text(metrics.Registry.Export(), PrometheusText.ContentType));
        return app;
    }

    /// <summary>The Worker section, with type errors (Worker:Tp=abc) reported as configuration errors.</summary>
    public static WorkerOptions BindOptions(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new WorkerConfigurationException("Invalid worker configuration: " + e.Message, e);
        }
    }

    private static void AddControlPlane(IServiceCollection services, WorkerSettings settings)
    {
        if (settings.KvTransferUrl is null)
        {
            services.AddSingleton<IKvEventSink>(NullKvEventSink.Instance);
            services.AddSingleton<IKvTelemetrySink, NullKvTelemetrySink>();
            return;
        }
        services.AddSingleton<KvTransferConnection>();
        services.AddSingleton<KvEventPublisher>();
        services.AddSingleton<IKvEventSink>(sp => sp.GetRequiredService<KvEventPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<KvEventPublisher>());
        services.AddSingleton<KvTelemetryReporter>();
        services.AddSingleton<IKvTelemetrySink>(sp => sp.GetRequiredService<KvTelemetryReporter>());
        services.AddHostedService(sp => sp.GetRequiredService<KvTelemetryReporter>());
        services.AddSingleton<KvTransferRegistration>();
        services.AddHostedService(sp => sp.GetRequiredService<KvTransferRegistration>());
    }
}
