namespace DisaggServing.Worker.Tests.Support;

/// <summary>A prefill worker and a decode worker whose kv_load_failure_policy is fail.</summary>
public sealed class FailPolicyPairFixture : IAsyncLifetime
{
    public WorkerHost Prefill { get; private set; } = null!;

    public WorkerHost Decode { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-f", "InstantEngine=true");
        Decode = await WorkerHost.StartAsync("Role=decode", "EngineId=decode-f", "InstantEngine=true", "KvLoadFailurePolicy=fail");
    }

    public async Task DisposeAsync()
    {
        await Decode.DisposeAsync();
        await Prefill.DisposeAsync();
    }
}
