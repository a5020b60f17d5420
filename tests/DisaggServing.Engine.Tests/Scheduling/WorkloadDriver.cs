using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>
/// Runs a <see cref="SchedulerWorkload"/> like a host would (arrivals, aborts, remote KV loads, lease
/// releases and expiry) and checks the scheduler's invariants after every step. A shadow copy of every
/// block's token contents stands in for the GPU: steps write their tokens into it, so a prefix hit on
/// different tokens, or a block shared by mistake, shows up as wrong KV.
/// </summary>
public sealed class WorkloadDriver
{
    private static readonly TimeSpan Dt = TimeSpan.FromMilliseconds(10);
    private readonly SchedulerWorkload _workload;
    private readonly SchedulerConfig _config;
    private readonly Scheduler _scheduler;
    private readonly EventMirror _events = new();
    private readonly Random _rng;
    private readonly EngineRequest[] _requests;
    private readonly int[][] _prompts;
    private readonly int[] _emitted;
    private readonly bool[] _aborted;
    private readonly bool[] _failed;
    private readonly int[,] _kv;
    private readonly int _bs;

    public WorkloadDriver(SchedulerWorkload workload)
    {
        _workload = workload;
        _config = workload.Config();
        _bs = _config.BlockSize;
        _scheduler = new Scheduler(_config, _events);
        _rng = new Random(workload.DriverSeed);
        var n = workload.Requests.Length;
        _requests = new EngineRequest[n];
        _prompts = new int[n][];
        _emitted = new int[n];
        _aborted = new bool[n];
        _failed = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var spec = workload.Requests[i];
            _prompts[i] = workload.PromptOf(spec);
            _requests[i] = TestRequests.FromTokens($"r{i}", _prompts[i], spec.MaxOutputTokens, _bs, spec.Kind);
        }
        _kv = new int[_config.NumGpuBlocks, _bs];
        for (var b = 0; b < _config.NumGpuBlocks; b++)
            for (var j = 0; j < _bs; j++)
                _kv[b, j] = -1;
    }

    public void Run()
    {
        var now = TimeSpan.Zero;
        var lastArrival = _workload.Requests.Max(r => r.ArrivalStep);
        for (var step = 0; ; step++)
        {
            if (step > lastArrival && _requests.All(r => r.Status == EngineRequestStatus.Finished))
                break;
            if (step > 20_000)
                throw new InvalidOperationException("workload did not terminate");
            HostEvents(step, now);
            _scheduler.ExpireLeases(now);

            var batch = _scheduler.Schedule(now);
            Assert.True(batch.NumScheduledTokens <= _config.MaxNumBatchedTokens);
            Assert.True(batch.Count <= _config.MaxNumSeqs);
            foreach (var seq in batch.Sequences)
            {
                Assert.Equal(seq.Request.NumComputedTokens, seq.ContextTokens);
                Assert.True(seq.NewTokens >= 1 && seq.ContextTokens + seq.NewTokens <= seq.Request.NumTokens);
                if (!_config.EnableChunkedPrefill)
                    Assert.Equal(seq.Request.NumTokens, seq.ContextTokens + seq.NewTokens);
                for (var p = seq.ContextTokens; p < seq.ContextTokens + seq.NewTokens; p++)
                    Write(seq.Request, p);
            }
            CheckInvariants();
            if (!batch.IsEmpty && _rng.Next(20) == 0)
                AbortRandomLiveRequest(); // while the step runs

            now += Dt;
            var result = _scheduler.CompleteStep(now);
            foreach (var r in result.Emitted)
            {
                var i = IndexOf(r);
                Assert.Equal(++_emitted[i], r.NumOutputTokens);
            }
            foreach (var r in result.Finished)
            {
                Assert.Contains(r, result.Emitted);
                Assert.Equal(EngineFinishReason.Length, r.FinishReason);
                Assert.Equal(r.MaxOutputTokens, r.NumOutputTokens);
                Assert.Equal(r.Kind == EngineRequestKind.PrefillForRemoteDecode ? EngineRequestStatus.Leased : EngineRequestStatus.Finished, r.Status);
            }
            CheckInvariants();
        }

        Assert.Equal(0, _scheduler.KvCache.UsedBlocks);
        Assert.Equal(_config.NumGpuBlocks, _scheduler.KvCache.FreeBlocks);
        Assert.False(_scheduler.HasUnfinishedRequests);
        Assert.Equal(0, _scheduler.NumLeases);
        for (var i = 0; i < _requests.Length; i++)
        {
            var r = _requests[i];
            Assert.Equal(EngineRequestStatus.Finished, r.Status);
            Assert.Equal(0, r.Blocks.Count);
            Assert.Equal(_emitted[i], r.NumOutputTokens);
            if (_aborted[i] || _failed[i])
                continue;
            Assert.Equal(EngineFinishReason.Length, r.FinishReason);
            Assert.Equal(r.MaxOutputTokens, r.NumOutputTokens);
        }
        if (_config.AdmissionPolicy == AdmissionPolicy.ReserveFull)
            Assert.Equal(0, _scheduler.NumPreemptions);
    }

    private void HostEvents(int step, TimeSpan now)
    {
        for (var i = 0; i < _requests.Length; i++)
        {
            var spec = _workload.Requests[i];
            var r = _requests[i];
            if (spec.ArrivalStep == step)
                _scheduler.Add(r);
            if (spec.AbortStep == step)
                Abort(i);
            if (r.Status == EngineRequestStatus.WaitingForRemoteKv && _rng.Next(3) == 0)
            {
                var roll = _rng.Next(5);
                if (roll < 3)
                {
                    // The pulled KV lands in the blocks beyond the local hits, all but the last prompt token.
                    for (var p = r.NumCachedTokens; p < r.PromptTokens - 1; p++)
                        Write(r, p);
                    Assert.True(_scheduler.CompleteRemoteKvLoad(r.Id, success: true));
                }
                else if (roll == 3)
                {
                    Assert.True(_scheduler.CompleteRemoteKvLoad(r.Id, success: false, KvLoadFailurePolicy.Recompute));
                }
                else
                {
                    Assert.True(_scheduler.CompleteRemoteKvLoad(r.Id, success: false, KvLoadFailurePolicy.Fail));
                    Assert.Equal(EngineFinishReason.Error, r.FinishReason);
                    _failed[i] = true;
                }
            }
            if (r.Status == EngineRequestStatus.Leased && _rng.Next(6) == 0)
            {
                Assert.True(_scheduler.TryGetLease(r.Id, out var lease));
                Assert.Equal(r.Blocks.ToArray(), lease.BlockIds);
                if (_rng.Next(4) == 0)
                    Assert.True(_scheduler.ExtendLease(r.Id, now));
                else
                    Assert.True(_scheduler.ReleaseLease(r.Id));
            }
        }
        if (_scheduler.KvCache.UsedBlocks == 0 && _rng.Next(10) == 0)
            Assert.True(_scheduler.ResetPrefixCache());
    }

    private void AbortRandomLiveRequest()
    {
        var live = Enumerable.Range(0, _requests.Length)
            .Where(i => _requests[i].Status is not (EngineRequestStatus.New or EngineRequestStatus.Finished)).ToArray();
        if (live.Length > 0)
            Abort(live[_rng.Next(live.Length)]);
    }

    private void Abort(int i)
    {
        var r = _requests[i];
        var live = r.Status is not (EngineRequestStatus.New or EngineRequestStatus.Finished);
        Assert.Equal(live, _scheduler.Abort(r.Id));
        if (live && r.FinishReason == EngineFinishReason.Abort)
            _aborted[i] = true;
        Assert.Equal(0, r.Blocks.Count);
    }

    private void CheckInvariants()
    {
        var cache = _scheduler.KvCache;
        var holders = new int[cache.TotalBlocks];
        var live = 0;
        var counts = new Dictionary<EngineRequestStatus, int>();
        for (var i = 0; i < _requests.Length; i++)
        {
            var r = _requests[i];
            if (r.Status is EngineRequestStatus.New or EngineRequestStatus.Finished)
            {
                Assert.Equal(0, r.Blocks.Count);
                continue;
            }
            live++;
            counts[r.Status] = counts.GetValueOrDefault(r.Status) + 1;
            var blocks = r.Blocks.ToArray();
            Assert.Equal(blocks.Length, blocks.Distinct().Count());
            foreach (var b in blocks)
                holders[b]++;
            Assert.True(r.NumComputedTokens <= blocks.Length * _bs);
            Assert.True(r.NumComputedTokens < r.NumTokens || r.Status == EngineRequestStatus.Leased);
            // The KV in its blocks is exactly its own tokens: prefix hits matched identical prefixes.
            for (var p = 0; p < r.NumComputedTokens; p++)
                Assert.True(_kv[blocks[p / _bs], p % _bs] == Token(i, p), $"{r} holds wrong KV at position {p}");
        }
        var used = 0;
        for (var b = 0; b < cache.TotalBlocks; b++)
        {
            Assert.Equal(holders[b], cache.RefCount(b));
            if (holders[b] > 0)
                used++;
            if (holders[b] > 1)
                Assert.True(cache.TryGetBlockHash(b, out _), $"block {b} is shared but not a cached block");
            if (cache.TryGetBlockHash(b, out var hash))
                Assert.Contains(hash, _events.Hashes);
        }
        Assert.Equal(used, cache.UsedBlocks);
        Assert.Equal(cache.TotalBlocks, cache.FreeBlocks + cache.UsedBlocks);
        Assert.Equal(cache.CachedBlocks, _events.Hashes.Count);
        Assert.True(_scheduler.NumRunning <= _config.MaxNumSeqs);
        Assert.Equal(counts.GetValueOrDefault(EngineRequestStatus.Running), _scheduler.NumRunning);
        Assert.Equal(counts.GetValueOrDefault(EngineRequestStatus.Waiting), _scheduler.NumWaiting);
        Assert.Equal(counts.GetValueOrDefault(EngineRequestStatus.WaitingForRemoteKv), _scheduler.NumWaitingForRemoteKv);
        Assert.Equal(counts.GetValueOrDefault(EngineRequestStatus.Leased), _scheduler.NumLeases);
        Assert.Equal(live, _scheduler.NumRunning + _scheduler.NumWaiting + _scheduler.NumWaitingForRemoteKv + _scheduler.NumLeases);
        Assert.True(cache.PrefixCacheHits <= cache.PrefixCacheQueries);
        if (_config.AdmissionPolicy == AdmissionPolicy.ReserveFull)
            Assert.Equal(0, _scheduler.NumPreemptions);
    }

    /// <summary>Token at position <paramref name="p"/> of request <paramref name="i"/>: prompt, then unique outputs.</summary>
    private int Token(int i, int p) => p < _prompts[i].Length ? _prompts[i][p] : 1_000_000 + i * 10_000 + p;

    private void Write(EngineRequest r, int p) => _kv[r.Blocks[p / _bs], p % _bs] = Token(IndexOf(r), p);

    private int IndexOf(EngineRequest r) => int.Parse(r.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
}
