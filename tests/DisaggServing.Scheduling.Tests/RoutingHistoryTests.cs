namespace DisaggServing.Scheduling.Tests;

public class RoutingHistoryTests
{
    private static readonly ulong[] Prompt = [11, 12, 13, 14];

    private static RoutingHistoryIndex History(ManualTime time, int blocksPerEngine = 100, double ttlSeconds = 120) =>
        new(blocksPerEngine, TimeSpan.FromSeconds(ttlSeconds), time);

    [Fact]
    public void A_real_vllm_engine_is_matched_by_its_http_authority_when_its_engine_id_is_not_in_the_index()
    {
        var context = Sched.Context(100);
        // The KV-transfer service indexes real vLLM engines under host:port; the endpoint may know vLLM's own engine uuid.
        context.PrefixMatches = new Dictionary<string, int> { ["127.0.0.1:8101"] = 3, ["decode-1"] = 5 };
        Assert.Equal(48, context.CachedTokens(Sched.Endpoint(8101, "6f1c2b9e-vllm-engine-uuid")));
        Assert.Equal(48, context.CachedTokens(Sched.Endpoint(8101)));
        Assert.Equal(80, context.CachedTokens(Sched.Endpoint(8102, "decode-1"))); // an id in the index wins
        Assert.Equal(0, context.CachedTokens(Sched.Endpoint(8103)));
    }

    [Fact]
    public void The_history_matches_leading_blocks_and_forgets_after_the_ttl()
    {
        var time = new ManualTime();
        var history = History(time);
        history.Record("127.0.0.1:8101", Prompt[..3]);
        Assert.Equal(3, history.FindLongestPrefix(Prompt)["127.0.0.1:8101"]);
        Assert.Empty(history.FindLongestPrefix([99, 11]));
        time.Advance(TimeSpan.FromSeconds(121));
        Assert.Empty(history.FindLongestPrefix(Prompt));
        history.Record("127.0.0.1:8101", Prompt[..1]); // routing again refreshes
        Assert.Equal(1, history.FindLongestPrefix(Prompt)["127.0.0.1:8101"]);
    }

    [Fact]
    public void The_history_is_bounded_per_engine_dropping_the_least_recently_routed_blocks()
    {
        var history = History(new ManualTime(), blocksPerEngine: 4);
        history.Record("a", Prompt);
        history.Record("a", [21, 22]); // evicts 11 and 12, the oldest
        Assert.Empty(history.FindLongestPrefix(Prompt));
        Assert.Equal(2, history.FindLongestPrefix([21, 22, 23])["a"]);
        history.Record("b", Prompt);
        Assert.Equal(4, history.FindLongestPrefix(Prompt)["b"]);
    }

    [Fact]
    public async Task Estimates_stand_in_only_for_engines_whose_kv_events_the_index_does_not_hold()
    {
        var fedEngine = Sched.Endpoint(8101, "worker-a"); // a simulated worker: publishes events
        var silent = Sched.Endpoint(8102); // a vLLM engine without --kv-events-config
        var index = new FakeEventIndex { Fed = ["worker-a"] };
        var hybrid = new HistoryBackedPrefixIndex(index, History(new ManualTime()));
        hybrid.Routed(fedEngine, Prompt);
        hybrid.Routed(silent, Prompt);

        var matches = await hybrid.FindLongestPrefixAsync(Prompt, default);
        Assert.False(matches.ContainsKey("127.0.0.1:8101")); // the index knows worker-a holds none of it
        Assert.Equal(4, matches["127.0.0.1:8102"]);

        index.Matches["127.0.0.1:8102"] = 1; // events start arriving for the silent engine: the index is believed
        Assert.Equal(1, (await hybrid.FindLongestPrefixAsync(Prompt, default))["127.0.0.1:8102"]);

        // The KV-transfer service is unreachable: every engine falls back to the estimate.
        index.Matches.Clear();
        index.Fed = [];
        var fallback = await hybrid.FindLongestPrefixAsync(Prompt, default);
        Assert.Equal(4, fallback["127.0.0.1:8101"]);
        Assert.Equal(4, fallback["127.0.0.1:8102"]);
    }

    private sealed class FakeEventIndex : IPrefixIndex
    {
        public Dictionary<string, int> Matches { get; } = [];

        public string[] Fed { get; set; } = [];

        public bool IsEnabled => true;

        public ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(Matches));

        public ValueTask<PrefixLookup> LookupAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new PrefixLookup(new Dictionary<string, int>(Matches), Fed));
    }
}
