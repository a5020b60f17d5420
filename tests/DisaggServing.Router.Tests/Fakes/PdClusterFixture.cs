namespace DisaggServing.Router.Tests.Fakes;

/// <summary>Two fake prefill and two fake decode workers behind one router; started once per test class.</summary>
public class PdClusterFixture : IAsyncLifetime
{
    public FakeWorker Prefill0 { get; private set; } = null!;
    public FakeWorker Prefill1 { get; private set; } = null!;
    public FakeWorker Decode0 { get; private set; } = null!;
    public FakeWorker Decode1 { get; private set; } = null!;
    public RouterHost Router { get; private set; } = null!;
    public HttpClient Client => Router.Client;
    public IEnumerable<FakeWorker> Workers => [Prefill0, Prefill1, Decode0, Decode1];
    public IEnumerable<FakeWorker> Prefills => [Prefill0, Prefill1];
    public IEnumerable<FakeWorker> Decodes => [Decode0, Decode1];

    /// <summary>Router settings beyond the worker lists.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Router:Model"] = "test-model",
        ["Router:Decider:MinUncachedTokens"] = "64",
        ["Router:MaxTokens"] = "64",
        ["Router:MaxContextTokens"] = "1000",
        ["Router:MaxBodyBytes"] = "65536",
        // These tests send the same prompts again and again and expect P/D each time; the routing-history prefix
        // estimate (which would rightly send repeats decode-only) has its own tests.
        ["Router:ApproximatePrefix:Enabled"] = "false",
    };

    public async Task InitializeAsync()
    {
        Prefill0 = await FakeWorker.StartAsync("prefill-0");
        Prefill1 = await FakeWorker.StartAsync("prefill-1");
        Decode0 = await FakeWorker.StartAsync("decode-0");
        Decode1 = await FakeWorker.StartAsync("decode-1");
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Router:Prefill:0"] = Prefill0.Url,
            ["Router:Prefill:1"] = Prefill1.Url,
            ["Router:Decode:0"] = Decode0.Url,
            ["Router:Decode:1"] = Decode1.Url,
        };
        Router = await RouterHost.StartAsync(settings);
    }

    public void Reset()
    {
        foreach (var worker in Workers) worker.Reset();
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        foreach (var worker in Workers) await worker.DisposeAsync();
    }
}
