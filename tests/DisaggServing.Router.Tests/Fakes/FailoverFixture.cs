namespace DisaggServing.Router.Tests.Fakes;

/// <summary>
/// One prefill that is down (connection refused) and one that is up, two decode workers; the error cooldown is 0 so
/// each test sees every endpoint as a candidate. Also a router whose only decode engine is down, and one whose first
/// decode engine never answers a connect.
/// </summary>
public sealed class FailoverFixture : IAsyncLifetime
{
    private readonly DeadPort _dead = new();
    private readonly SilentPort _silent = new();

    public string DeadUrl => _dead.Url;
    public FakeWorker Prefill { get; private set; } = null!;
    public FakeWorker Decode0 { get; private set; } = null!;
    public FakeWorker Decode1 { get; private set; } = null!;
    public RouterHost Router { get; private set; } = null!;
    public RouterHost DeadDecodeRouter { get; private set; } = null!;
    public RouterHost NoDecodeRouter { get; private set; } = null!;
    public RouterHost NoMigrationRouter { get; private set; } = null!;

    /// <summary>A router whose first decode engine never completes a connect, then <see cref="Decode0"/>.</summary>
    public RouterHost SilentDecodeRouter { get; private set; } = null!;
    public IEnumerable<FakeWorker> Decodes => [Decode0, Decode1];

    public async Task InitializeAsync()
    {
        Prefill = await FakeWorker.StartAsync("prefill-live");
        Decode0 = await FakeWorker.StartAsync("decode-0");
        Decode1 = await FakeWorker.StartAsync("decode-1");
        Router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Prefill"] = $"{DeadUrl},{Prefill.Url}",
            ["Router:Decode"] = $"{Decode0.Url},{Decode1.Url}",
            ["Router:Decider:MinUncachedTokens"] = "0",
            ["Router:ErrorCooldownMs"] = "0",
            ["Router:ConnectTimeoutMs"] = "2000",
        });
        NoMigrationRouter = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode"] = $"{Decode0.Url},{Decode1.Url}",
            ["Router:ErrorCooldownMs"] = "0",
            ["Router:Resilience:MaxMigrations"] = "0",
        });
        SilentDecodeRouter = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode"] = $"{_silent.Url},{Decode0.Url}",
            ["Router:Model"] = "test-model",
            ["Router:ErrorCooldownMs"] = "0",
            ["Router:ConnectTimeoutMs"] = "300",
        });
        DeadDecodeRouter = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = DeadUrl,
            ["Router:Model"] = "test-model",
        });
        NoDecodeRouter = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Prefill:0"] = Prefill.Url,
            ["Router:Model"] = "test-model",
        });
    }

    public void Reset()
    {
        Prefill.Reset();
        Decode0.Reset();
        Decode1.Reset();
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await DeadDecodeRouter.DisposeAsync();
        await NoDecodeRouter.DisposeAsync();
        await NoMigrationRouter.DisposeAsync();
        await SilentDecodeRouter.DisposeAsync();
        await Prefill.DisposeAsync();
        await Decode0.DisposeAsync();
        await Decode1.DisposeAsync();
        _dead.Dispose();
        _silent.Dispose();
    }
}
