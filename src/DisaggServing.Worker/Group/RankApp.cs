using DisaggServing.Worker.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DisaggServing.Worker.Group;

/// <summary>
/// A worker rank of a group (LWS_WORKER_INDEX ≥ 1) as the simulated Worker runs it: like vLLM's headless workers it
/// serves no OpenAI API and moves no KV (the leader simulates the whole pipeline); it joins its leader, holds its
/// GPUs, and answers only <c>/health</c> and <c>/alive</c> on Worker:HttpPort, so the AppHost can see it join.
/// </summary>
public static class RankApp
{
    public static WebApplication Create(WebApplicationBuilder builder, WorkerSettings settings, GroupSettings group)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(group);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var bind = Hosting.KestrelSetup.BindAddress(settings.AdvertisedHost);
            kestrel.Listen(bind, settings.HttpPort ?? 0, o => o.Protocols = HttpProtocols.Http1);
        });
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(settings);
        builder.Services.AddGroupMember(group, settings);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }
}
