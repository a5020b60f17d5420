using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DisaggServing.Topology;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Testing;

/// <summary>The topology an AppHost built its model from, as the AppHost resolved it (reference, appsettings, overrides).</summary>
public static class AppHostTopology
{
    /// <summary>
    /// Runs <typeparamref name="TAppHost"/>'s entry point up to building its model (nothing starts), with its own
    /// configuration and <paramref name="settings"/> over it (<c>["Topology:Pools:1:Replicas"] = "3"</c>), and returns
    /// its topology: what it would run and publish.
    /// </summary>
    public static async Task<TopologySpec> ReadAsync<TAppHost>(IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
        where TAppHost : class
    {
        var args = (settings ?? new Dictionary<string, string>()).Select(p => $"--{p.Key}={p.Value}").ToArray();
        var builder = await CreateBuilderAsync<TAppHost>(args, cancellationToken).ConfigureAwait(false);
        await using (builder.ConfigureAwait(false))
        {
            return Of(builder);
        }
    }

    /// <summary>The topology of a builder whose AppHost has run: its EKS environment's, else the bound <c>Topology</c> section.</summary>
    public static TopologySpec Of(IDistributedApplicationTestingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resources.OfType<EksEnvironmentResource>().FirstOrDefault() is { } eks) return eks.Topology;

        // An AppHost without AddEksEnvironment: BindTopology left the reference and the overrides in configuration.
        var spec = new TopologySpec();
        builder.Configuration.GetSection(TopologyConfiguration.SectionName).Bind(spec);
        if (spec.Pools.Count == 0)
            throw new InvalidOperationException($"The AppHost {builder.AppHostAssembly?.GetName().Name} has no topology: call builder.BindTopology() and AddDisaggTopology(...) in it.");
        return spec;
    }

    internal static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync<TAppHost>(string[] args, CancellationToken cancellationToken)
        where TAppHost : class
    {
        try
        {
            return await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(args, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The AppHost returned before building (our AppHost prints "error: ..." for a bad setting or a preflight error).
            throw new DisaggStartException(
                $"The AppHost {typeof(TAppHost).Name} stopped before building its model ({e.Message}). Its own 'error:' line on the test output says why: "
                + $"a topology setting, a preflight finding, or GPUs; the kit passed: {string.Join(' ', args)}", e);
        }
    }
}
