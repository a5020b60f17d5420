using DisaggServing.Router.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DisaggServing.Router.FlowControl;

/// <summary>Registers flow control.</summary>
public static class FlowControlServiceCollectionExtensions
{
    /// <summary>Adds the controller over the decode pool's capacity, the endpoint's admission step and the ticker.</summary>
    public static IServiceCollection AddFlowControl(this IServiceCollection services, FlowControlOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton<IDispatchCapacity>(sp => new EngineCapacity(sp.GetRequiredService<EndpointCatalog>(), options));
        services.AddSingleton<FlowController>();
        services.AddSingleton<FlowAdmission>();
        if (options.Enabled) services.AddHostedService<FlowControlService>();
        return services;
    }
}
