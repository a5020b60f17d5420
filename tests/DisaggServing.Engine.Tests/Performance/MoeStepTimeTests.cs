using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class MoeStepTimeTests
{
    private static readonly EngineSpec Qwen = new()
    {
        Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void Expected_experts_hit_runs_from_top_k_for_one_token_to_all_experts_for_many()
    {
        Assert.Equal(8, StepTimeModel.ExpectedExpertsHit(128, 8, 1), 9);
        Assert.InRange(StepTimeModel.ExpectedExpertsHit(128, 8, 16), 8 * 16 * 0.5, 8 * 16);
        // The least popular experts are the last hit: 8,000 picks leave a few hundredths of one unhit.
        Assert.InRange(StepTimeModel.ExpectedExpertsHit(128, 8, 1000), 127.9, 128);
    }

    [Fact]
    public void Each_expert_a_step_hits_costs_at_least_one_tile_of_its_engines_moe_gemm()
    {
        var coarse = new StepTimeModel(Qwen, EngineOverheads.None);
        var fine = new StepTimeModel(Qwen with { Engine = EngineProfiles.Trtllm with { ExpertTileRows = 16 } }, EngineOverheads.None);
        // 64 decodes spread over ~128 experts: a few rows each, so 128-row tiles cost several times 16-row ones.
        var small = Decodes(64, 100);
        Assert.True(coarse.Cost(small).ComputeSeconds > 2 * fine.Cost(small).ComputeSeconds);
        // An 8,192-token prefill gives each expert ~512 rows: the tile adds only its half-empty last one.
        var large = BatchShape.Of(8192, 0, isDecode: false);
        Assert.InRange(coarse.Cost(large).ComputeSeconds / fine.Cost(large).ComputeSeconds, 1.0, 1.15);
    }

    [Fact]
    public void Trtllm_nvfp4_experts_on_blackwell_take_a_tile_that_follows_the_rows_while_hopper_keeps_128_row_tiles()
    {
        var fixedTile = EngineProfiles.Trtllm with { BlackwellExpertTileMinRows = 0 };
        double Compute(GpuSpec gpu, DType dtype, EngineProfile engine, BatchShape batch) =>
            new StepTimeModel(Qwen with { Gpu = gpu, WeightDtype = dtype, Engine = engine }, EngineOverheads.None).Cost(batch).ComputeSeconds;

        // 64 decodes give each of ~128 experts about 4 rows: an 8-row tile, even at its lower rate, costs less than 128 rows.
        var small = Decodes(64, 100);
        Assert.True(Compute(GpuCatalog.B200, DType.Fp4, fixedTile, small) > 1.3 * Compute(GpuCatalog.B200, DType.Fp4, EngineProfiles.Trtllm, small));
        // Below the largest tile an expert's one tile loads its weights once, the read the memory term charges: its math
        // is the tile's multiplies alone, below the fitted large tile's cost a row, where that efficiency holds every load.
        var lossless = EngineProfiles.Trtllm with { ExpertTileHalfRows = 0 };
        Assert.True(Compute(GpuCatalog.B200, DType.Fp4, EngineProfiles.Trtllm, small) < 0.9 * Compute(GpuCatalog.B200, DType.Fp4, lossless, small));
        // A 32,768-token prefill gives each expert ~2,000 rows: the largest tile either way.
        var large = BatchShape.Of(32768, 0, isDecode: false);
        Assert.Equal(Compute(GpuCatalog.B200, DType.Fp4, fixedTile, large), Compute(GpuCatalog.B200, DType.Fp4, EngineProfiles.Trtllm, large), 12);
        // TensorRT-LLM's CUTLASS MoE (--moe-backend cutlass) runs the fixed tile without the small tile's loss, at any batch.
        var cutlass = Qwen with { Gpu = GpuCatalog.B200, WeightDtype = DType.Fp4, MoeBackend = MoeBackend.Cutlass };
        Assert.Equal(Compute(GpuCatalog.B200, DType.Fp4, fixedTile, small), new StepTimeModel(cutlass, EngineOverheads.None).Cost(small).ComputeSeconds, 12);
        Assert.Equal(Compute(GpuCatalog.B200, DType.Fp4, fixedTile, large), new StepTimeModel(cutlass, EngineOverheads.None).Cost(large).ComputeSeconds, 12);
        // Hopper's FP8 MoE keeps its 128-row tiles at any batch.
        Assert.Equal(Compute(GpuCatalog.H200Sxm, DType.Fp8, fixedTile, small), Compute(GpuCatalog.H200Sxm, DType.Fp8, EngineProfiles.Trtllm, small), 12);
    }

    [Fact]
    public void Vllm_experts_computing_in_bf16_run_at_its_bf16_scale_and_fp8_experts_keep_the_fitted_efficiency()
    {
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        // The scale alone: the rise with rows set aside.
        var scaled = EngineProfiles.Vllm with { Bf16ExpertHalfRows = 0 };
        var plain = scaled with { Bf16ExpertGemmScale = 1 };
        double Compute(GpuSpec gpu, DType dtype, EngineProfile engine) =>
            new StepTimeModel(Qwen with { Gpu = gpu, WeightDtype = dtype, Engine = engine }, EngineOverheads.None).Cost(prefill).ComputeSeconds;

        // BF16 weights, and FP8 weights on an A100 (no FP8 tensor cores: W8A16, BF16 math), take the BF16 scale.
        Assert.True(Compute(GpuCatalog.H200Sxm, DType.Bf16, scaled) < 0.9 * Compute(GpuCatalog.H200Sxm, DType.Bf16, plain));
        Assert.True(Compute(GpuCatalog.A100_80G, DType.Fp8, scaled) < 0.9 * Compute(GpuCatalog.A100_80G, DType.Fp8, plain));
        // FP8 experts on FP8 tensor cores do not.
        Assert.Equal(Compute(GpuCatalog.H200Sxm, DType.Fp8, plain), Compute(GpuCatalog.H200Sxm, DType.Fp8, EngineProfiles.Vllm), 12);
    }

    [Fact]
    public void Triton_block_fp8_experts_on_hopper_cost_more_per_row_below_the_full_rows_in_large_steps_and_not_on_blackwell()
    {
        var off = EngineProfiles.Vllm with { HopperFp8ExpertFullRows = 0 };
        // Qwen's own FP8 release scales its weights per 128 × 128 block.
        var blockFp8 = ModelCatalog.Get("Qwen/Qwen3-235B-A22B-FP8");
        Assert.True(blockFp8.BlockScaledFp8);
        double Compute(GpuSpec gpu, EngineProfile engine, int tokens) =>
            new StepTimeModel(Qwen with { Model = blockFp8, Gpu = gpu, Engine = engine, WeightDtype = DType.Fp8 }, EngineOverheads.None)
                .Cost(BatchShape.Of(tokens, 0, isDecode: false)).ComputeSeconds;

        // 2,048 tokens × top-8 ÷ 128 experts = 128 rows per expert: an eighth of the full rows, (1/8)^-0.35 ≈ 2.1× the routed cost.
        Assert.True(Compute(GpuCatalog.H200Sxm, EngineProfiles.Vllm, 2048) > 1.3 * Compute(GpuCatalog.H200Sxm, off, 2048));
        // A step of up to 512 tokens (a decode batch) runs the kernel's small-batch configs and keeps the efficiency.
        Assert.Equal(Compute(GpuCatalog.H200Sxm, off, 512), Compute(GpuCatalog.H200Sxm, EngineProfiles.Vllm, 512), 12);
        // 16,384 tokens give each expert 1,024 rows: the fitted efficiency, nothing added.
        Assert.Equal(Compute(GpuCatalog.H200Sxm, off, 16384), Compute(GpuCatalog.H200Sxm, EngineProfiles.Vllm, 16384), 12);
        // Blackwell runs these experts through other kernels, and TensorRT-LLM's CUTLASS MoE holds the efficiency anywhere.
        Assert.Equal(Compute(GpuCatalog.B200, off, 2048), Compute(GpuCatalog.B200, EngineProfiles.Vllm, 2048), 12);
        Assert.Equal(0, EngineProfiles.Trtllm.HopperFp8ExpertFullRows);
    }

    [Fact]
    public void Triton_per_channel_fp8_experts_on_hopper_keep_the_fitted_efficiency_at_any_rows()
    {
        // GLM-4.6-FP8 scales its weights per channel: the kernel applies one scale after its K loop, no block scale inside it.
        var perChannel = ModelCatalog.Get("zai-org/GLM-4.6-FP8");
        Assert.False(perChannel.BlockScaledFp8);
        var off = EngineProfiles.Sglang with { HopperFp8ExpertFullRows = 0 };
        Assert.True(EngineProfiles.Sglang.HopperFp8ExpertFullRows > 0);
        double Compute(EngineProfile engine) =>
            new StepTimeModel(new EngineSpec { Model = perChannel, Gpu = GpuCatalog.H200Sxm, TensorParallel = 4, WeightDtype = DType.Fp8, Engine = engine }, EngineOverheads.None)
                .Cost(BatchShape.Of(4096, 0, isDecode: false)).ComputeSeconds;

        // 4,096 tokens × top-8 ÷ 160 experts ≈ 205 rows per expert, a fifth of the full rows: no added cost.
        Assert.Equal(Compute(off), Compute(EngineProfiles.Sglang), 12);
    }

    [Fact]
    public void Every_tp_rank_reads_mla_down_projections_whole_and_with_attention_dp_nothing_more_is_added()
    {
        var ds = new EngineSpec { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8 };
        var replicated = ModelCatalog.DeepSeekV3.ReplicatedAttentionParamsPerLayer;
        Assert.Equal(7168.0 * (1536 + 512 + 64), replicated);
        Assert.Equal(0, ModelCatalog.Llama33_70B.ReplicatedAttentionParamsPerLayer);
        var sharded = (ModelCatalog.DeepSeekV3.TotalParams - ModelCatalog.DeepSeekV3.EmbeddingParams) / 8 + 2.0 * ModelCatalog.DeepSeekV3.LmHeadParams * 2 / 8;
        Assert.Equal(sharded + 61 * replicated * 7 / 8, MemoryModel.Plan(ds).WeightBytes, 0);
        // With attention DP every rank holds the whole attention block already: the same weights either way.
        var dp = ds with { AttentionDataParallel = true };
        Assert.Equal(sharded + 61 * ModelCatalog.DeepSeekV3.AttentionParamsPerLayer * 7 / 8, MemoryModel.Plan(dp).WeightBytes, 0);
    }

    [Fact]
    public void Behind_attention_dp_tp_sharded_experts_permute_every_ranks_tokens_and_expert_parallel_ones_only_their_share()
    {
        var dp = new EngineSpec { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, AttentionDataParallel = true };
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        var tpExperts = new StepTimeModel(dp, EngineOverheads.None).Cost(prefill).ElementwiseSeconds;
        var epExperts = new StepTimeModel(dp with { ExpertParallel = 8 }, EngineOverheads.None).Cost(prefill).ElementwiseSeconds;
        Assert.True(tpExperts > 2 * epExperts, $"{tpExperts} vs {epExperts}");
    }

    [Fact]
    public void Vllm_bf16_experts_gain_efficiency_with_rows_per_expert_and_other_formats_do_not()
    {
        var flat = EngineProfiles.Vllm with { Bf16ExpertHalfRows = 0 };
        double Ratio(GpuSpec gpu, DType dtype, int tokens) =>
            new StepTimeModel(Qwen with { Gpu = gpu, WeightDtype = dtype, Engine = EngineProfiles.Vllm }, EngineOverheads.None).Cost(BatchShape.Of(tokens, 0, isDecode: false)).ComputeSeconds
            / new StepTimeModel(Qwen with { Gpu = gpu, WeightDtype = dtype, Engine = flat }, EngineOverheads.None).Cost(BatchShape.Of(tokens, 0, isDecode: false)).ComputeSeconds;

        // A decode-sized step gives each expert a row or two: almost no rise. An 8,192-token prefill gives each of the
        // 128 experts 512 rows, a third of the way to a dense GEMM's efficiency, and 65,536 tokens most of the way.
        Assert.InRange(Ratio(GpuCatalog.H100Sxm, DType.Bf16, 16), 0.98, 1);
        Assert.InRange(Ratio(GpuCatalog.H100Sxm, DType.Bf16, 8192), 0.4, 0.8);
        Assert.True(Ratio(GpuCatalog.H100Sxm, DType.Bf16, 65536) < Ratio(GpuCatalog.H100Sxm, DType.Bf16, 8192));
        // FP8 experts, and W8A16 ones on A100 (Marlin), keep their efficiency at every size.
        Assert.Equal(1, Ratio(GpuCatalog.H100Sxm, DType.Fp8, 8192), 12);
        Assert.Equal(1, Ratio(GpuCatalog.A100_80G, DType.Fp8, 8192), 12);
    }

    [Fact]
    public void Moe_decode_step_weight_traffic_grows_with_batch_as_expert_coverage_predicts()
    {
        var model = new StepTimeModel(Qwen, EngineOverheads.None);
        var m = Qwen.Model;
        var rate = Qwen.Gpu.HbmBandwidth * Qwen.EffectiveConstants.HbmEfficiency;
        var expertBytesPerHit = m.MoeLayers * m.ExpertParams * Qwen.WeightDtype.Bytes() / Qwen.TensorParallel / rate;
        var kvPerToken = MemoryModel.KvBytesPerTokenPerGpu(Qwen) / rate;
        var one = model.Cost(Decodes(1, 100));
        foreach (var batch in new[] { 2, 8, 32, 128 })
        {
            var cost = model.Cost(Decodes(batch, 100));
            var expectedGrowth = (StepTimeModel.ExpectedExpertsHit(128, 8, batch) - 8) * expertBytesPerHit + (batch - 1) * 101 * kvPerToken;
            Assert.Equal(expectedGrowth, Traffic(cost) - Traffic(one), 9);
        }
        // Coverage saturates: once nearly every expert is hit, more sequences add little beyond their KV.
        var big = model.Cost(Decodes(1024, 100));
        var bigger = model.Cost(Decodes(2048, 100));
        var lastExperts = StepTimeModel.ExpectedExpertsHit(128, 8, 2048) - StepTimeModel.ExpectedExpertsHit(128, 8, 1024);
        Assert.InRange(lastExperts, 0, 0.05);
        Assert.Equal(1024 * 101 * kvPerToken + lastExperts * expertBytesPerHit, Traffic(bigger) - Traffic(big), 9);

        // HBM time of the step: weights for the GEMMs, KV for attention.
        static double Traffic(StepCost c) => c.MemorySeconds + c.KvSeconds;
    }

    [Fact]
    public void With_attention_dp_a_prompt_chunk_on_one_rank_costs_the_step_more_than_the_same_tokens_spread_over_all_ranks()
    {
        var dp = Qwen with { ExpertParallel = 8, AttentionDataParallel = true };
        var model = new StepTimeModel(dp, EngineOverheads.None);
        var one = new BatchShape();
        one.Add(4096, 0, isDecode: false);
        var spread = new BatchShape();
        for (var i = 0; i < 8; i++) spread.Add(512, 0, isDecode: false);
        // Same tokens, but one rank runs the whole 4096-token attention block while seven wait. Without attention DP
        // the ranks share every token's attention, so one long chunk costs more only by its larger causal triangle.
        var tp = new StepTimeModel(Qwen, EngineOverheads.None);
        var dpRatio = model.Cost(one).ComputeSeconds / model.Cost(spread).ComputeSeconds;
        var tpRatio = tp.Cost(one).ComputeSeconds / tp.Cost(spread).ComputeSeconds;
        Assert.True(dpRatio > tpRatio + 1, $"attention DP {dpRatio:F2}x, TP {tpRatio:F2}x");
    }

    [Fact]
    public void Trtllm_gathers_tokens_for_its_experts_so_its_ep_traffic_does_not_grow_with_top_k_as_an_all_to_all_does()
    {
        var dp = Qwen with { TensorParallel = 4, ExpertParallel = 4, AttentionDataParallel = true };
        var topOne = dp with { Model = dp.Model with { Moe = dp.Model.Moe! with { ExpertsPerToken = 1 } } };
        var batch = Decodes(2048, 1000);
        double Comm(EngineSpec s) => new StepTimeModel(s, EngineOverheads.None).Cost(batch).TpCommSeconds;
        // All-gather + reduce-scatter: the same bytes whatever k. All-to-all (vLLM's profile): k copies each way.
        Assert.Equal(Comm(dp), Comm(topOne), 9);
        var vllm = dp with { Engine = EngineProfiles.Vllm };
        var vllmTopOne = topOne with { Engine = EngineProfiles.Vllm };
        Assert.True(Comm(vllm) > 2 * Comm(vllmTopOne), $"top-8 {Comm(vllm) * 1e3:F2} ms, top-1 {Comm(vllmTopOne) * 1e3:F2} ms");
        // For top-8 over 4 ranks the gather moves fewer bytes than the all-to-all (BF16 both ways: 4 vs 6 hidden states a token).
        Assert.True(Comm(dp) < Comm(vllm));
        // NVFP4 checkpoints quantize the tokens before the gather.
        Assert.True(Comm(dp with { WeightDtype = DType.Fp4, Gpu = GpuCatalog.B200 }) < Comm(dp with { Gpu = GpuCatalog.B200 }));
    }

    [Fact]
    public void Trtllm_gathers_per_tensor_fp8_tokens_as_fp8_but_block_scaled_fp8_tokens_as_bf16()
    {
        // The CUTLASS MoE quantizes per-tensor FP8 activations with the layer's static scale before the all-gather;
        // the block-scale runner quantizes per 128-element block after it, so those tokens travel in BF16.
        var perTensor = Qwen with { Model = ModelCatalog.Get("nvidia/Qwen3-235B-A22B-FP8"), WeightDtype = DType.Fp8, TensorParallel = 4, ExpertParallel = 4, AttentionDataParallel = true };
        var blockScaled = perTensor with { Model = ModelCatalog.Get("Qwen/Qwen3-235B-A22B-FP8") };
        Assert.False(perTensor.Model.BlockScaledFp8);
        Assert.True(blockScaled.Model.BlockScaledFp8);
        var batch = Decodes(2048, 1000);
        double Comm(EngineSpec s) => new StepTimeModel(s, EngineOverheads.None).Cost(batch).TpCommSeconds;
        // FP8 gathered and BF16 reduce-scattered (3 bytes a hidden element) against BF16 both ways (4): the bytes' time
        // falls by a quarter, the collectives' latency stays.
        Assert.InRange(Comm(perTensor) / Comm(blockScaled), 0.75, 0.85);
    }

    [Fact]
    public void Attention_dp_holds_each_mla_token_once_across_the_ranks()
    {
        var dense = new EngineSpec { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8 };
        var dp = dense with { AttentionDataParallel = true, ExpertParallel = 8 };
        Assert.Equal(MemoryModel.KvBytesPerTokenPerGpu(dense) / 8, MemoryModel.KvBytesPerTokenPerGpu(dp), 6);
        Assert.True(MemoryModel.Plan(dp).KvTokens > 4 * MemoryModel.Plan(dense).KvTokens);
    }

    [Fact]
    public void Sparse_attention_makes_long_context_decode_cheaper_than_dense_attention_would()
    {
        var glm = new EngineSpec { Model = ModelCatalog.Glm5Fp8, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8 };
        var asDense = glm with { Model = glm.Model with { Mla = glm.Model.Mla! with { IndexerTopK = 0 } } };
        var batch = Decodes(64, 60_000);
        Assert.True(new StepTimeModel(glm).StepSeconds(batch) < 0.7 * new StepTimeModel(asDense).StepSeconds(batch));
        var shortBatch = Decodes(64, 1_000);
        Assert.InRange(new StepTimeModel(glm).StepSeconds(shortBatch) / new StepTimeModel(asDense).StepSeconds(shortBatch), 0.95, 1.1);
    }

    [Fact]
    public void Expert_parallelism_must_divide_tp_and_needs_a_moe_model()
    {
        Assert.Throws<InputException>(() => (Qwen with { ExpertParallel = 3 }).Validate());
        var e = Assert.Throws<InputException>(() => new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, ExpertParallel = 2 }.Validate());
        Assert.Contains("--ep", e.Message);
    }
}
