using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SchedulerTests
{
    private static Scheduler Make(int blocks = 64, int budget = 8192, int seqs = 256, bool chunked = true,
        AdmissionPolicy policy = AdmissionPolicy.OnDemand, bool caching = true) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = blocks,
            MaxNumBatchedTokens = budget,
            MaxNumSeqs = seqs,
            EnableChunkedPrefill = chunked,
            AdmissionPolicy = policy,
            EnablePrefixCaching = caching,
        });

    [Fact]
    public void Add_rejects_duplicate_ids_oversized_requests_and_bad_hashes()
    {
        var s = Make(blocks: 4, budget: 32, seqs: 4, chunked: false);
        s.Add(TestRequests.Make("a", 16, 1));
        Assert.Throws<ArgumentException>(() => s.Add(TestRequests.Make("a", 16, 1)));
        var tooBig = Assert.Throws<ArgumentException>(() => s.Add(TestRequests.Make("b", 60, 10)));
        Assert.Contains("NumGpuBlocks", tooBig.Message);
        // Without chunking a prefill larger than a whole step is still accepted: it is split, as only it can be.
        s.Add(TestRequests.Make("c", 30, 5));
        Assert.Throws<ArgumentException>(() => s.Add(new EngineRequest("d", 20, 1, blockHashes: [1UL, 2UL])));
        var used = TestRequests.Make("e", 16, 1);
        s.Add(used);
        s.Abort("e");
        Assert.Throws<ArgumentException>(() => s.Add(used));
    }

    [Fact]
    public void Long_prompt_is_chunked_across_steps_then_decodes()
    {
        var s = Make(budget: 256, seqs: 4);
        var r = TestRequests.Make("a", 600, 3);
        s.Add(r);
        var now = TimeSpan.Zero;

        var expected = new[] { (256, 0, false), (256, 256, false), (88, 512, false), (1, 600, true), (1, 601, true) };
        for (var step = 0; step < expected.Length; step++)
        {
            var (batch, result) = s.Step(ref now);
            var seq = Assert.Single(batch.Sequences);
            Assert.Equal(expected[step], (seq.NewTokens, seq.ContextTokens, seq.IsDecode));
            Assert.Equal(step >= 2, result.Emitted.Contains(r));
            Assert.Equal(step == 4, result.Finished.Contains(r));
        }
        Assert.Equal(3, r.NumOutputTokens);
        Assert.Equal(EngineFinishReason.Length, r.FinishReason);
        Assert.Equal(EngineRequestStatus.Finished, r.Status);
        Assert.Equal(TimeSpan.Zero, r.FirstScheduledTime);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.False(s.HasUnfinishedRequests);
    }

    [Fact]
    public void A_per_request_chunk_cap_splits_each_prompt_while_the_step_budget_takes_several()
    {
        var s = new Scheduler(new SchedulerConfig { NumGpuBlocks = 256, MaxNumBatchedTokens = 256, MaxNumSeqs = 8, MaxPrefillChunkTokens = 64 });
        s.Add(TestRequests.Make("a", 200, 2, seed: 1));
        s.Add(TestRequests.Make("b", 200, 2, seed: 2));
        var batch = s.Schedule(TimeSpan.Zero);
        Assert.All(batch.Sequences, q => Assert.Equal(64, q.NewTokens));
        Assert.Equal(2, batch.Sequences.Count);
        Assert.Throws<ArgumentException>(() => new SchedulerConfig { NumGpuBlocks = 1, MaxPrefillChunkTokens = 0 }.Validate());
    }

    [Fact]
    public void Attention_dp_gives_each_prompt_the_budget_divided_by_the_ranks_on_sglang_and_chunked_trtllm_and_vllm_keeps_the_whole_budget()
    {
        var spec = new DisaggServing.Engine.Performance.EngineSpec
        {
            Model = DisaggServing.Engine.Catalog.ModelCatalog.DeepSeekV3, Gpu = DisaggServing.Engine.Catalog.GpuCatalog.H200Sxm, TensorParallel = 8,
            Engine = DisaggServing.Engine.Performance.EngineProfiles.Sglang, AttentionDataParallel = true, MaxNumBatchedTokens = 8192,
        };
        Assert.Equal(1024, spec.MaxPrefillChunkTokens);
        Assert.Null((spec with { AttentionDataParallel = false }).MaxPrefillChunkTokens);
        Assert.Null((spec with { Engine = DisaggServing.Engine.Performance.EngineProfiles.Vllm }).MaxPrefillChunkTokens);
        // TensorRT-LLM's ranks each have their own max_num_tokens (the budget here is all ranks' together); without
        // chunking a rank runs its prompt whole.
        var trtllm = spec with { Engine = DisaggServing.Engine.Performance.EngineProfiles.Trtllm };
        Assert.Equal(1024, trtllm.MaxPrefillChunkTokens);
        Assert.Null((trtllm with { EnableChunkedPrefill = false }).MaxPrefillChunkTokens);
        // Without chunking its whole prompts are packed into the ranks' own budgets instead.
        Assert.Equal(0, trtllm.PromptRanks);
        Assert.Equal(8, (trtllm with { EnableChunkedPrefill = false }).PromptRanks);
        Assert.Equal(0, (trtllm with { EnableChunkedPrefill = false, AttentionDataParallel = false }).PromptRanks);
    }

    [Fact]
    public void Without_chunking_attention_dp_ranks_take_only_the_whole_prompts_that_fit_their_own_budgets()
    {
        // Eight ranks of 8,192 tokens each: 5,000-token prompts go one to a rank, not thirteen into the shared 65,536.
        SchedulerConfig Config(int ranks) => new()
        {
            NumGpuBlocks = 8192, MaxNumBatchedTokens = 65536, MaxNumSeqs = 128, EnableChunkedPrefill = false, PromptRanks = ranks,
        };
        int Admitted(int ranks)
        {
            var s = new Scheduler(Config(ranks));
            for (var i = 0; i < 16; i++) s.Add(TestRequests.Make($"r{i}", 5000, 4, seed: i));
            return s.Schedule(TimeSpan.Zero).Sequences.Count;
        }
        Assert.Equal(13, Admitted(0));
        Assert.Equal(8, Admitted(8));

        // Decodes take their share of every rank first: 64 of them leave 8,184 a rank, where two 4,096-token prompts no
        // longer fit: one a rank, where the shared budget would take fifteen.
        int PromptsBesideDecodes(int ranks)
        {
            var s = new Scheduler(Config(ranks));
            var now = TimeSpan.Zero;
            for (var i = 0; i < 64; i++) s.Add(TestRequests.Make($"d{i}", 16, 50, seed: i));
            s.Step(ref now);
            for (var i = 0; i < 20; i++) s.Add(TestRequests.Make($"p{i}", 4096, 4, seed: 100 + i));
            var batch = s.Schedule(now);
            Assert.Equal(64, batch.Shape.DecodeSequences);
            return batch.Sequences.Count - 64;
        }
        Assert.Equal(15, PromptsBesideDecodes(0));
        Assert.Equal(8, PromptsBesideDecodes(8));
        Assert.Throws<ArgumentException>(() => new SchedulerConfig { NumGpuBlocks = 1, PromptRanks = -1 }.Validate());
    }

    [Fact]
    public void Without_chunking_a_prompt_that_fits_a_step_only_without_the_running_decodes_waits_for_them_and_is_counted_once()
    {
        SchedulerConfig Config() => new() { NumGpuBlocks = 8192, MaxNumBatchedTokens = 8192, MaxNumSeqs = 128, EnableChunkedPrefill = false };
        var s = new Scheduler(Config());
        var now = TimeSpan.Zero;
        for (var i = 0; i < 4; i++) s.Add(TestRequests.Make($"d{i}", 16, 20, seed: i));
        s.Step(ref now);
        // 8,190 prompt tokens fit the 8,192-token step, not beside four decode tokens: it waits, and so does the one
        // queued behind it (TensorRT-LLM's MicroBatchScheduler stops at the first context that does not fit).
        var held = TestRequests.Make("long", 8190, 4, seed: 9);
        var behind = TestRequests.Make("behind", 100, 4, seed: 10);
        s.Add(held);
        s.Add(behind);
        for (var step = 0; step < 5; step++)
        {
            var (batch, _) = s.Step(ref now);
            Assert.Equal(4, batch.Shape.DecodeSequences);
            Assert.Equal(4, batch.Sequences.Count);
        }
        Assert.Equal(1, s.NumPromptsHeldForRoom);
        Assert.True(held.HeldForRoom);
        Assert.False(behind.HeldForRoom);
        s.RunToIdle(ref now);
        Assert.NotNull(held.FirstScheduledTime);
        Assert.Equal(1, s.NumPromptsHeldForRoom);

        // A prompt that waits because an earlier one took the step's room is batching, not a wait for running requests.
        var packed = new Scheduler(Config());
        packed.Add(TestRequests.Make("a", 5000, 4, seed: 1));
        packed.Add(TestRequests.Make("b", 5000, 4, seed: 2));
        packed.RunToIdle(ref now);
        Assert.Equal(0, packed.NumPromptsHeldForRoom);
    }

    [Fact]
    public void Batch_shape_sums_the_scheduled_sequences()
    {
        var s = Make(budget: 256, seqs: 4);
        s.Add(TestRequests.Make("a", 20, 5, seed: 1));
        var now = TimeSpan.Zero;
        s.Step(ref now);
        s.Add(TestRequests.Make("b", 300, 5, seed: 2));
        var batch = s.Schedule(now);
        Assert.Equal(2, batch.Shape.Sequences);
        Assert.Equal(1, batch.Shape.DecodeSequences);
        Assert.Equal(256, batch.Shape.NewTokens);
        Assert.Equal(256, batch.NumScheduledTokens);
        Assert.Equal(21 + 255, batch.Shape.KvTokensRead);
    }

    [Fact]
    public void Running_requests_come_first_and_newcomers_share_the_remaining_budget_fcfs()
    {
        var s = Make(budget: 64, seqs: 8);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 10, 10, seed: 1));
        s.Step(ref now);
        s.Add(TestRequests.Make("b", 40, 10, seed: 2));
        s.Add(TestRequests.Make("c", 40, 10, seed: 3));
        s.Add(TestRequests.Make("d", 40, 10, seed: 4));

        var batch = s.Schedule(now);
        Assert.Equal(["a", "b", "c"], batch.Sequences.Select(q => q.Request.Id));
        Assert.Equal([1, 40, 23], batch.Sequences.Select(q => q.NewTokens));
        Assert.Equal(64, batch.NumScheduledTokens);
        Assert.Equal(1, s.NumWaiting);
        s.CompleteStep(now);

        // Next step c finishes its prompt before d starts; d takes what is left.
        batch = s.Schedule(now);
        Assert.Equal(["a", "b", "c", "d"], batch.Sequences.Select(q => q.Request.Id));
        Assert.Equal([1, 1, 17, 40], batch.Sequences.Select(q => q.NewTokens));
        s.CompleteStep(now);
    }

    [Fact]
    public void Max_num_seqs_caps_the_running_set()
    {
        var s = Make(budget: 64, seqs: 2);
        var now = TimeSpan.Zero;
        for (var i = 0; i < 3; i++)
            s.Add(TestRequests.Make($"r{i}", 8, 3 + i, seed: i));
        var (batch, _) = s.Step(ref now);
        Assert.Equal(2, batch.Count);
        Assert.Equal(2, s.NumRunning);
        Assert.Equal(1, s.NumWaiting);
        s.Step(ref now);
        s.Step(ref now); // r0 finishes here
        Assert.Equal(1, s.NumRunning);
        var (next, _) = s.Step(ref now);
        Assert.Contains(next.Sequences, q => q.Request.Id == "r2");
        s.RunToIdle(ref now);
    }

    [Fact]
    public void Without_chunked_prefill_a_prompt_that_does_not_fit_the_budget_waits_and_blocks_the_queue()
    {
        var s = Make(budget: 64, seqs: 8, chunked: false);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 40, 3, seed: 1));
        s.Add(TestRequests.Make("b", 40, 3, seed: 2));
        s.Add(TestRequests.Make("c", 10, 3, seed: 3));
        var (batch, _) = s.Step(ref now);
        Assert.Equal(["a"], batch.Sequences.Select(q => q.Request.Id));
        Assert.Equal(2, s.NumWaiting);
        (batch, _) = s.Step(ref now);
        Assert.Equal(["a", "b", "c"], batch.Sequences.Select(q => q.Request.Id));
        Assert.Equal([1, 40, 10], batch.Sequences.Select(q => q.NewTokens));
    }

    [Fact]
    public void Running_out_of_blocks_preempts_the_newest_request_by_recompute()
    {
        // Two requests of 2 blocks' prompt that will each grow to 4 blocks; 6 blocks in all.
        var s = Make(blocks: 6, budget: 64, seqs: 4);
        var a = TestRequests.Make("a", 32, 30, seed: 1);
        var b = TestRequests.Make("b", 32, 30, seed: 2);
        s.Add(a);
        s.Add(b);
        var now = TimeSpan.Zero;
        ScheduledBatch? preempting = null;
        var outputsBefore = 0;
        for (var i = 0; i < 100 && preempting is null; i++)
        {
            outputsBefore = b.NumOutputTokens;
            var batch = s.Schedule(now);
            if (batch.Preempted.Count > 0)
                preempting = batch;
            s.CompleteStep(now);
        }
        Assert.NotNull(preempting);
        Assert.Equal([b], preempting.Preempted);
        Assert.Equal(["a"], preempting.Sequences.Select(q => q.Request.Id)); // and no admission that step
        Assert.Equal(1, s.NumPreemptions);
        Assert.Equal(1, b.NumPreemptions);
        Assert.Equal(0, b.NumComputedTokens);
        Assert.Equal(0, b.Blocks.Count);
        Assert.Equal(outputsBefore, b.NumOutputTokens); // outputs are kept, their KV recomputed
        Assert.Equal(EngineRequestStatus.Waiting, b.Status);

        s.RunToIdle(ref now);
        Assert.Equal(30, a.NumOutputTokens);
        Assert.Equal(30, b.NumOutputTokens);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void A_request_that_must_preempt_itself_stops_the_step()
    {
        var s = Make(blocks: 3, budget: 64, seqs: 4);
        var a = TestRequests.Make("a", 16, 10, seed: 1);  // needs a 2nd block at its 2nd decode
        var b = TestRequests.Make("b", 16, 10, seed: 2);
        s.Add(a);
        s.Add(b);
        var now = TimeSpan.Zero;
        s.Step(ref now); // both prefill, 1 block each
        s.Step(ref now); // a grows to 2 blocks; b needs one, none left: b preempts itself
        Assert.Equal(1, s.NumPreemptions);
        Assert.Equal(EngineRequestStatus.Waiting, b.Status);
        Assert.Equal(1, s.NumRunning);
        s.RunToIdle(ref now);
        Assert.Equal(10, b.NumOutputTokens);
    }

    [Fact]
    public void ReserveFull_admits_only_with_room_for_all_outputs_and_never_preempts()
    {
        var s = Make(blocks: 6, budget: 64, seqs: 4, policy: AdmissionPolicy.ReserveFull);
        var a = TestRequests.Make("a", 32, 30, seed: 1); // 61 KV tokens: 4 blocks
        var b = TestRequests.Make("b", 32, 30, seed: 2);
        s.Add(a);
        s.Add(b);
        var now = TimeSpan.Zero;
        var (batch, _) = s.Step(ref now);
        Assert.Equal(["a"], batch.Sequences.Select(q => q.Request.Id));
        while (a.Status == EngineRequestStatus.Running)
        {
            Assert.Equal(EngineRequestStatus.Waiting, b.Status);
            s.Step(ref now);
        }
        s.RunToIdle(ref now);
        Assert.Equal(0, s.NumPreemptions);
        Assert.Equal(30, b.NumOutputTokens);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void ReserveFull_counts_shared_prefix_blocks_once()
    {
        var s = Make(blocks: 5, budget: 64, seqs: 4, policy: AdmissionPolicy.ReserveFull);
        var now = TimeSpan.Zero;
        var a = TestRequests.Make("a", 48, 16, seed: 1); // 63 tokens: 4 blocks
        s.Add(a);
        s.Step(ref now);
        // Same prompt: 2 of its blocks hit a's cached ones, it needs 2 more of its own (48+15 tokens).
        var b = TestRequests.Make("b", 48, 16, seed: 1);
        s.Add(b);
        s.Step(ref now);
        Assert.Equal(EngineRequestStatus.Waiting, b.Status); // 1 spare block only
        s.RunToIdle(ref now);
        Assert.Equal(0, s.NumPreemptions);
    }

    [Fact]
    public void A_fully_cached_prompt_recomputes_its_last_token()
    {
        var s = Make();
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 64, 2, seed: 1));
        s.RunToIdle(ref now);
        Assert.Equal(64, s.KvCache.PrefixCacheQueries);
        Assert.Equal(0, s.KvCache.PrefixCacheHits);

        var b = TestRequests.Make("b", 64, 2, seed: 1);
        s.Add(b);
        var (batch, _) = s.Step(ref now);
        Assert.Equal(48, b.NumCachedTokens); // 3 of 4 blocks: at least one token must be computed
        Assert.Equal((16, 48), (batch[0].NewTokens, batch[0].ContextTokens));
        Assert.Equal(1, b.NumOutputTokens);

        var c = TestRequests.Make("c", 70, 2, seed: 1);
        s.Add(c);
        (batch, _) = s.Step(ref now);
        Assert.Equal(64, c.NumCachedTokens);
        Assert.Equal((6, 64), (batch[^1].NewTokens, batch[^1].ContextTokens));
        Assert.Equal(64 + 64 + 70, s.KvCache.PrefixCacheQueries);
        Assert.Equal(48 + 64, s.KvCache.PrefixCacheHits);
    }

    [Fact]
    public void Live_requests_share_registered_prefix_blocks()
    {
        var s = Make();
        var now = TimeSpan.Zero;
        var a = TestRequests.Make("a", 40, 10, seed: 1);
        s.Add(a);
        s.Step(ref now);
        var b = TestRequests.Make("b", 40, 10, seed: 1);
        s.Add(b);
        s.Step(ref now);
        Assert.Equal(32, b.NumCachedTokens);
        Assert.Equal(a.Blocks[0], b.Blocks[0]);
        Assert.Equal(a.Blocks[1], b.Blocks[1]);
        Assert.NotEqual(a.Blocks[2], b.Blocks[2]);
        Assert.Equal(2, s.KvCache.RefCount(a.Blocks[0]));
        Assert.Equal(4, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Requests_without_hashes_or_with_caching_off_bypass_the_prefix_cache()
    {
        var s = Make(caching: false);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 64, 1, seed: 1));
        s.RunToIdle(ref now);
        s.Add(TestRequests.Make("b", 64, 1, seed: 1));
        s.Step(ref now);
        Assert.Equal(0, s.KvCache.PrefixCacheQueries);

        var t = Make();
        t.Add(TestRequests.Make("a", 64, 1, seed: 1));
        t.RunToIdle(ref now);
        var c = TestRequests.Make("c", 64, 1, seed: 1, hashed: false);
        t.Add(c);
        t.Step(ref now);
        Assert.Equal(0, c.NumCachedTokens);
        Assert.Equal(64, t.KvCache.PrefixCacheQueries);
    }

    [Fact]
    public void Schedule_twice_without_completing_throws_and_empty_batches_need_no_completion()
    {
        var s = Make();
        var empty = s.Schedule(TimeSpan.Zero);
        Assert.True(empty.IsEmpty);
        Assert.False(s.IsStepInFlight);
        Assert.Empty(s.CompleteStep(TimeSpan.Zero).Emitted);
        s.Add(TestRequests.Make("a", 8, 2));
        s.Schedule(TimeSpan.Zero);
        Assert.Throws<InvalidOperationException>(() => s.Schedule(TimeSpan.Zero));
        Assert.Single(s.CompleteStep(TimeSpan.FromSeconds(1)).Emitted);
    }

    [Fact]
    public void Abort_works_while_waiting_and_running_and_returns_blocks()
    {
        var s = Make(budget: 64, seqs: 1);
        var now = TimeSpan.Zero;
        var a = TestRequests.Make("a", 40, 10, seed: 1);
        var b = TestRequests.Make("b", 40, 10, seed: 2);
        s.Add(a);
        s.Add(b);
        s.Step(ref now);
        Assert.True(s.Abort("b"));
        Assert.Equal((EngineRequestStatus.Finished, EngineFinishReason.Abort), (b.Status, b.FinishReason));
        Assert.Equal(0, s.NumWaiting);
        Assert.True(s.Abort("a"));
        Assert.Equal(0, a.Blocks.Count);
        Assert.Equal(0, s.NumRunning);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.False(s.Abort("a"));
        Assert.False(s.Abort("nobody"));
    }

    [Fact]
    public void Abort_while_the_step_runs_is_skipped_at_completion()
    {
        var s = Make();
        var a = TestRequests.Make("a", 40, 10, seed: 1);
        var b = TestRequests.Make("b", 40, 10, seed: 2);
        s.Add(a);
        s.Add(b);
        var batch = s.Schedule(TimeSpan.Zero);
        Assert.Equal(2, batch.Count);
        Assert.True(s.Abort("a"));
        var result = s.CompleteStep(TimeSpan.FromSeconds(1));
        Assert.Equal([b], result.Emitted);
        Assert.Equal(0, a.NumOutputTokens);
        Assert.Equal(1, s.NumRunning);
        Assert.Equal(3, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Computed_prompt_blocks_are_announced_and_evictions_reported()
    {
        var events = new RecordingKvEventSink();
        var s = new Scheduler(TestRequests.Config(blocks: 4) with { MaxNumBatchedTokens = 32, MaxNumSeqs = 4 }, events);
        var a = TestRequests.Make("a", 40, 1, seed: 1);
        var now = TimeSpan.Zero;
        s.Add(a);
        s.Step(ref now); // 32 of 40 tokens: the first two blocks are full
        var stored = Assert.Single(events.Events);
        Assert.Equal(RecordedKvEventKind.Stored, stored.Kind);
        Assert.Equal(a.BlockHashes, stored.Hashes);
        Assert.Null(stored.Parent);
        s.RunToIdle(ref now);

        // b needs all 4 blocks: its first chunk takes the two uncached ones, its second evicts a's tail first.
        var b = TestRequests.Make("b", 60, 1, seed: 2);
        s.Add(b);
        s.RunToIdle(ref now);
        Assert.Equal(
            [RecordedKvEventKind.Stored, RecordedKvEventKind.Stored, RecordedKvEventKind.Removed, RecordedKvEventKind.Removed, RecordedKvEventKind.Stored],
            events.Events.Select(e => e.Kind));
        Assert.Equal([a.BlockHashes![1]], events.Events[2].Hashes);
        Assert.Equal([a.BlockHashes[0]], events.Events[3].Hashes);
        Assert.Equal(b.BlockHashes![1], events.Events[4].Parent);
        Assert.True(s.ResetPrefixCache());
        Assert.Equal(RecordedKvEventKind.Cleared, events.Events[^1].Kind);
    }

    [Fact]
    public void A_request_that_finishes_after_an_earlier_one_was_aborted_mid_step_leaves_the_running_set()
    {
        var s = Make();
        var a = TestRequests.Make("a", 16, 50, hashed: false);
        var b = TestRequests.Make("b", 16, 1, hashed: false);
        var c = TestRequests.Make("c", 16, 50, hashed: false);
        s.Add(a);
        s.Add(b);
        s.Add(c);
        s.Schedule(TimeSpan.Zero);

        Assert.True(s.Abort("a"));
        var result = s.CompleteStep(TimeSpan.FromMilliseconds(10));

        Assert.Equal(["b"], result.Finished.Select(r => r.Id));
        Assert.Equal(1, s.NumRunning);
        Assert.Equal(["c"], s.Schedule(TimeSpan.FromMilliseconds(10)).Sequences.Select(q => q.Request.Id));
    }
}
