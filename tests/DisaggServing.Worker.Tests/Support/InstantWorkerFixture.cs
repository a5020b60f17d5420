namespace DisaggServing.Worker.Tests.Support;

/// <summary>One colocated ("both") worker with an instant engine and a 512-token context, shared by a test class.</summary>
public sealed class InstantWorkerFixture : IAsyncLifetime
{
    public const int MaxModelLen = 512;

    public WorkerHost Worker { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Worker = await WorkerHost.StartAsync("InstantEngine=true", $"MaxModelLen={MaxModelLen}", "EngineId=instant-0");

    public async Task DisposeAsync() => await Worker.DisposeAsync();
}
