using DisaggServing.Bench;
using DisaggServing.Testing.Simulation;
using DisaggServing.Topology;

namespace DisaggServing.Testing;

/// <summary>
/// Deterministic mode: the topology and the load run in-process on the offline simulator's virtual clock, so the same
/// test gives the same report on every run and machine, in seconds. The report is the live runner's type
/// (<see cref="DisaggApp.RunLoadAsync"/>), so a test can switch between them; latencies are model time, not divided by
/// a speed factor.
/// </summary>
public static class DisaggSimulation
{
    /// <summary>Simulates <paramref name="load"/> (open loop: a rate or a trace) on <paramref name="topology"/>.</summary>
    public static BenchReport Run(TopologySpec topology, LoadSpec load) => SimulatorAdapter.Run(topology, load);

    /// <summary>
    /// Simulates <paramref name="load"/> on the topology <typeparamref name="TAppHost"/> builds (with
    /// <paramref name="settings"/> over its configuration); the AppHost only builds its model, nothing starts.
    /// </summary>
    public static async Task<BenchReport> RunAsync<TAppHost>(LoadSpec load, IReadOnlyDictionary<string, string>? settings = null,
        CancellationToken cancellationToken = default)
        where TAppHost : class
    {
        ArgumentNullException.ThrowIfNull(load);
        load.Validate();
        var topology = await AppHostTopology.ReadAsync<TAppHost>(settings, cancellationToken).ConfigureAwait(false);
        return Run(topology, load);
    }
}
