namespace DisaggServing.Worker.Tests.Support;

/// <summary>A fake KV-transfer service with a prefill and a decode worker registered to it.</summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    public FakeKvTransfer Service { get; private set; } = null!;

    public WorkerHost Prefill { get; private set; } = null!;

    public WorkerHost Decode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Service = await FakeKvTransfer.StartAsync();
        Prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=cp-prefill", "InstantEngine=true", "Node=n1", "GpuIndices=3", $"KvTransferUrl={Service.Url}");
        Decode = await WorkerHost.StartAsync("Role=decode", "EngineId=cp-decode", "InstantEngine=true", "Node=n2", $"KvTransferUrl={Service.Url}");
    }

    public async Task DisposeAsync()
    {
        await Decode.DisposeAsync();
        await Prefill.DisposeAsync();
        await Service.DisposeAsync();
    }
}
