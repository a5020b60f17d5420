namespace DisaggServing.Worker.Tests.Support;

/// <summary>A slow colocated worker (real-time steps of the performance model) and an instant prefill worker.</summary>
public sealed class DisconnectFixture : IAsyncLifetime
{
    public WorkerHost Slow { get; private set; } = null!;

    public WorkerHost Prefill { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slow = await WorkerHost.StartAsync("EngineId=slow-0", "SpeedFactor=1");
        Prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-d", "InstantEngine=true");
    }

    public async Task DisposeAsync()
    {
        await Prefill.DisposeAsync();
        await Slow.DisposeAsync();
    }
}
