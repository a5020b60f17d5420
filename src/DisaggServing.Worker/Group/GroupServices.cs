using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Hosting;

namespace DisaggServing.Worker.Group;

/// <summary>The group's services: the leader's rendezvous (beside the engine) or a worker rank's membership, and readiness on both.</summary>
public static class GroupServices
{
    /// <summary>Rank 0: take the other ranks' joins; /health waits for all of them.</summary>
    public static IServiceCollection AddGroupLeader(this IServiceCollection services, GroupSettings group, WorkerSettings settings)
    {
        services.AddSingleton(group);
        services.AddSingleton<IGroupExit, ProcessGroupExit>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GroupLeader>(sp, KestrelSetup.BindAddress(settings.AdvertisedHost)));
        services.AddSingleton<IGroupRank>(sp => sp.GetRequiredService<GroupLeader>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupLeader>());
        services.AddHealthChecks().AddCheck<GroupReadyCheck>("group");
        return services;
    }

    /// <summary>A worker rank: join the leader; /health once joined.</summary>
    public static IServiceCollection AddGroupMember(this IServiceCollection services, GroupSettings group, WorkerSettings settings)
    {
        services.AddSingleton(group);
        services.AddSingleton<IGroupExit, ProcessGroupExit>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GroupMember>(sp, settings.EngineId, TimeProvider.System));
        services.AddSingleton<IGroupRank>(sp => sp.GetRequiredService<GroupMember>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupMember>());
        services.AddHealthChecks().AddCheck<GroupReadyCheck>("group");
        return services;
    }
}
