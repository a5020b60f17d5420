using CsCheck;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class StepTimeModelTests
{
    private static readonly EngineSpec[] Specs =
    [
        new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8 },
        new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.A100_80G, TensorParallel = 1, WeightDtype = DType.Bf16 },
        new() { Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8 },
        new() { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Fp8 },
        new() { Model = ModelCatalog.Glm5Fp8, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, PipelineParallel = 2, WeightDtype = DType.Fp8 },
    ];

    private static readonly Gen<(int Spec, (int New, int Ctx, bool Decode)[] Seqs)> Batches =
        Gen.Select(Gen.Int[0, Specs.Length - 1],
            Gen.Select(Gen.Int[1, 4096], Gen.Int[0, 32768], Gen.Bool).Array[1, 64]);

    private static BatchShape Shape(IEnumerable<(int New, int Ctx, bool Decode)> seqs)
    {
        var shape = new BatchShape();
        foreach (var (n, c, d) in seqs) shape.Add(d ? 1 : n, c, d);
        return shape;
    }

    [Fact]
    public void Empty_batch_takes_no_time() =>
        Assert.Equal(0, new StepTimeModel(Specs[0]).StepSeconds(new BatchShape()));

    [Fact]
    public void No_step_beats_the_hbm_or_flop_limit()
    {
        Batches.Sample(b =>
        {
            var spec = Specs[b.Spec];
            var shape = Shape(b.Seqs);
            var seconds = new StepTimeModel(spec, EngineOverheads.None).StepSeconds(shape);
            var m = spec.Model;
            int tp = spec.TensorParallel, pp = spec.PipelineParallel;
            // Lower bounds at 100% of datasheet peaks: every stage must stream its share of the non-expert
            // weights plus the KV it reads, and do its share of the GEMM FLOPs.
            var denseBytes = (m.TotalParams - m.MoeLayers * m.MoeLayerParams - m.EmbeddingParams) * spec.WeightDtype.Bytes() / (tp * pp);
            var kvBytes = shape.KvTokensRead * MemoryModel.KvBytesPerTokenPerGpu(spec);
            var hbmBound = pp * (denseBytes + kvBytes) / spec.Gpu.HbmBandwidth;
            var flopBound = 2 * m.ActiveLayerParamsPerToken * shape.NewTokens / tp / spec.Gpu.PeakFlops(spec.WeightDtype);
            Assert.True(seconds >= hbmBound * 0.999, $"{seconds} < HBM bound {hbmBound}");
            Assert.True(seconds >= flopBound * 0.999, $"{seconds} < FLOP bound {flopBound}");
        }, iter: 300);
    }

    [Fact]
    public void More_work_never_takes_less_time()
    {
        Gen.Select(Batches, Gen.Int[1, 2048], Gen.Int[0, 8192]).Sample(t =>
        {
            var ((spec, seqs), extraNew, extraCtx) = t;
            var model = new StepTimeModel(Specs[spec]);
            var baseTime = model.StepSeconds(Shape(seqs));
            // One more sequence; but for the step from PP sequences (each in its micro-batch, the heaviest setting the
            // pace) to PP + 1 (the batch split evenly over the micro-batches), a known approximation of the split.
            if (seqs.Length != Specs[spec].PipelineParallel)
                Assert.True(model.StepSeconds(Shape(seqs.Append((extraNew, extraCtx, false)))) >= baseTime);
            // Longer context for the first sequence.
            var longer = seqs.ToArray();
            longer[0] = (longer[0].New, longer[0].Ctx + extraCtx, longer[0].Decode);
            Assert.True(model.StepSeconds(Shape(longer)) >= baseTime);
        }, iter: 300);
    }

    [Fact]
    public void Engines_that_do_not_fuse_the_all_reduce_pay_for_each_one_at_tp_above_one_and_nothing_at_tp1()
    {
        var decode = BatchShape.Of(1, 1000, isDecode: true);
        // TensorRT-LLM's slower small-message rate set aside (AllReduceSizeTests): here only the fixed cost differs.
        var fused = Specs[0] with { Engine = EngineProfiles.Trtllm with { AllReduceSmallEfficiency = 1 } };
        // vLLM as it ran before 0.16, whose -O2 fuses them by default (DefaultAllReduceFusionTests).
        var unfused = Specs[0] with { Engine = EngineProfiles.Vllm, AllReduceFusion = false };
        // Llama-3.3-70B: two all-reduces per layer (attention, MLP) over 80 layers.
        var extra = new StepTimeModel(unfused).Cost(decode).TpCommSeconds - new StepTimeModel(fused).Cost(decode).TpCommSeconds;
        Assert.Equal(2 * 80 * EngineProfiles.Vllm.UnfusedAllReduceSeconds, extra, 1e-9);
        Assert.True(EngineProfiles.Vllm.UnfusedAllReduceSeconds > 0);

        var single = Specs[1] with { Engine = EngineProfiles.Vllm };
        Assert.Equal(0, new StepTimeModel(single).Cost(decode).TpCommSeconds);
    }

    [Fact]
    public void Decode_is_memory_bound_and_long_prefill_compute_bound()
    {
        var model = new StepTimeModel(Specs[0]);
        Assert.False(model.Cost(BatchShape.Of(1, 1000, isDecode: true)).ComputeBound);
        Assert.True(model.Cost(BatchShape.Of(8192, 0, isDecode: false)).ComputeBound);
    }

    [Fact]
    public void Single_decode_of_70b_fp8_on_two_h100_is_near_the_reference_itl()
    {
        // calibration.md: NIM measures 18.58 ms ITL at concurrency 1 (5000-token context); the HBM roofline is ~10.5 ms.
        var nim = Specs[0] with { Engine = EngineProfiles.Trtllm, TensorRtEngine = true, Nim = true };
        var seconds = new StepTimeModel(nim).StepSeconds(BatchShape.Of(1, 5250, isDecode: true));
        Assert.InRange(seconds * 1000, 18.58 * 0.85, 18.58 * 1.15);
    }

    [Fact]
    public void Moe_decode_reads_only_the_experts_its_tokens_hit()
    {
        var model = new StepTimeModel(Specs[3]);
        var one = model.Cost(BatchShape.Of(1, 100, isDecode: true)).MemorySeconds;
        var many = new BatchShape();
        for (var i = 0; i < 256; i++) many.Add(1, 100, isDecode: true);
        var full = model.Cost(many).MemorySeconds;
        Assert.True(full > 5 * one, $"one token {one}, 256 tokens {full}");
    }

    [Fact]
    public void Faster_memory_gives_faster_decode()
    {
        var h100 = new StepTimeModel(Specs[0]).StepSeconds(BatchShape.Of(1, 1000, true));
        var h200 = new StepTimeModel(Specs[0] with { Gpu = GpuCatalog.H200Sxm }).StepSeconds(BatchShape.Of(1, 1000, true));
        Assert.True(h200 < h100);
    }

    [Fact]
    public void Pipeline_stages_run_in_turn_with_an_efa_hand_off()
    {
        var pp2 = new StepTimeModel(Specs[4]).Cost(BatchShape.Of(1, 100, true));
        Assert.Equal(2, pp2.Stages);
        Assert.True(pp2.PpCommSeconds >= StepTimeModel.EfaLatencySeconds);
    }

    [Fact]
    public void Moe_and_mla_layers_launch_more_kernels_than_dense_ones_and_quantized_weights_add_more()
    {
        var dense = LayerKernels.PerLayer(ModelCatalog.Llama33_70B, DType.Bf16, 8);
        var moe = LayerKernels.PerLayer(ModelCatalog.Qwen3_235B, DType.Bf16, 8);
        var mlaMoe = LayerKernels.PerLayer(ModelCatalog.DeepSeekV3, DType.Bf16, 8);
        Assert.True(dense < moe && moe < mlaMoe, $"{dense} {moe} {mlaMoe}");
        Assert.True(LayerKernels.PerLayer(ModelCatalog.DeepSeekV3, DType.Fp8, 8) > mlaMoe);
        Assert.Equal(1, LayerKernels.RelativeToDense(ModelCatalog.Llama31_8B, DType.Fp8, 1));
    }

    [Fact]
    public void Sglang_prefill_at_one_client_is_bound_by_the_host_for_a_short_prompt_and_by_the_gpu_for_a_long_one()
    {
        var spec = new EngineSpec { Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Sglang };
        var model = new StepTimeModel(spec, EngineOverheads.None);
        var shortPrompt = model.Cost(BatchShape.Of(600, 0, isDecode: false));
        Assert.True(shortPrompt.HostLaunchSeconds > shortPrompt.ComputeSeconds + shortPrompt.AttentionComputeSeconds);
        var longPrompt = model.Cost(BatchShape.Of(32000, 0, isDecode: false));
        Assert.True(longPrompt.ComputeSeconds > longPrompt.HostLaunchSeconds);
        // A decode step is replayed from a CUDA graph: no host launches.
        Assert.Equal(0, model.Cost(BatchShape.Of(1, 600, isDecode: true)).HostLaunchSeconds);
    }

    [Fact]
    public void A_pipeline_keeps_a_micro_batch_per_stage_in_flight_so_a_compute_bound_batch_takes_half_as_long_on_two_stages()
    {
        StepCost Prefill(int pp, int prompts)
        {
            var spec = new EngineSpec { Model = ModelCatalog.Llama31_405B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 4, PipelineParallel = pp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm };
            var shape = new BatchShape();
            for (var i = 0; i < prompts; i++) shape.Add(2048, 0, isDecode: false);
            return new StepTimeModel(spec, EngineOverheads.None).Cost(shape);
        }
        // Eight 2,048-token prompts: two micro-batches of four, each stage busy with its own, the batch done in two
        // stage-times of half the work: about half of one stage group's time.
        var ratio = Prefill(2, 8).TotalSeconds / Prefill(1, 8).TotalSeconds;
        Assert.InRange(ratio, 0.45, 0.6);
        // One prompt cannot be split: it passes through the two stages in turn, as long as on one group.
        Assert.InRange(Prefill(2, 1).TotalSeconds / Prefill(1, 1).TotalSeconds, 0.9, 1.1);
    }

    [Fact]
    public void A_short_prompt_beside_a_long_one_in_a_pipeline_does_not_shorten_the_long_ones_pass_through_the_stages()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, PipelineParallel = 2, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm };
        var model = new StepTimeModel(spec, EngineOverheads.None);
        var alone = BatchShape.Of(3426, 0, isDecode: false);
        var beside = alone;
        beside.Add(242, 0, isDecode: false);
        // Two micro-batches: the long prompt's still crosses both stages in turn; an even split would halve it.
        Assert.True(model.StepSeconds(beside) >= model.StepSeconds(alone));
        Assert.True(model.StepSeconds(beside) < 1.2 * model.StepSeconds(alone));
    }

    [Fact]
    public void Trtllm_attends_over_whole_contexts_under_mistral_v01s_uniform_window_and_vllm_keeps_the_window()
    {
        StepCost Decode(string model, EngineProfile engine)
        {
            var spec = new EngineSpec { Model = ModelCatalog.Get(model), Gpu = GpuCatalog.H200Sxm, TensorParallel = 1, WeightDtype = DType.Fp8, Engine = engine };
            var shape = new BatchShape();
            for (var i = 0; i < 64; i++) shape.Add(1, 20000, isDecode: true);
            return new StepTimeModel(spec, EngineOverheads.None).Cost(shape);
        }
        const string windowed = "mistralai/Mistral-7B-v0.1", full = "mistralai/Mistral-7B-Instruct-v0.2";
        Assert.Equal(Decode(full, EngineProfiles.Trtllm).TotalSeconds, Decode(windowed, EngineProfiles.Trtllm).TotalSeconds, 12);
        Assert.True(Decode(windowed, EngineProfiles.Vllm).TotalSeconds < Decode(full, EngineProfiles.Vllm).TotalSeconds);
    }

    [Theory]
    [InlineData("h100-sxm", 2, 256)]
    [InlineData("h200-sxm", 8, 512)]
    [InlineData("b200", 1, 512)]
    [InlineData("a100-40g", 1, 32)]
    [InlineData("a100-40g", 4, 160)]
    public void Sglang_sizes_its_cuda_graphs_by_gpu_memory_and_tp(string gpu, int tp, int maxBatch)
    {
        Assert.Equal(maxBatch, EngineProfiles.Sglang.CudaGraphMaxBatchFor(GpuCatalog.Get(gpu), tp));
        Assert.Equal(EngineProfiles.Vllm.CudaGraphMaxBatch, EngineProfiles.Vllm.CudaGraphMaxBatchFor(GpuCatalog.Get(gpu), tp));
    }

    [Theory]
    [InlineData("a100-40g", 4096)]
    [InlineData("a100-80g", 8192)]
    [InlineData("h100-sxm", 8192)]
    [InlineData("b200", 16384)]
    public void Sglang_sizes_its_prefill_chunk_by_gpu_memory(string gpu, int tokens)
    {
        Assert.Equal(tokens, EngineProfiles.Sglang.DefaultMaxNumBatchedTokens(GpuCatalog.Get(gpu)));
        // vLLM's A100 default is its small-GPU one whatever the memory.
        Assert.Equal(EngineProfiles.Vllm.SmallGpuMaxNumBatchedTokens, EngineProfiles.Vllm.DefaultMaxNumBatchedTokens(GpuCatalog.A100_40G));
    }

    [Fact]
    public void An_sglang_decode_batch_beyond_its_cuda_graphs_launches_eagerly_and_attention_dp_graphs_each_ranks_share()
    {
        EngineSpec Spec(int tp, bool dp) => new()
        {
            Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = tp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Sglang,
            ExpertParallel = dp ? tp : 1, AttentionDataParallel = dp,
        };
        // 400 sequences: over TP2's 256-batch graphs, within TP8's 512.
        Assert.True(new StepTimeModel(Spec(2, false), EngineOverheads.None).Cost(Decodes(400)).HostLaunchSeconds > 0);
        Assert.Equal(0, new StepTimeModel(Spec(8, false), EngineOverheads.None).Cost(Decodes(400)).HostLaunchSeconds);
        // 2,000 sequences under attention DP over eight ranks: 250 a rank, each within its graphs.
        Assert.True(new StepTimeModel(Spec(8, false), EngineOverheads.None).Cost(Decodes(2000)).HostLaunchSeconds > 0);
        Assert.Equal(0, new StepTimeModel(Spec(8, true), EngineOverheads.None).Cost(Decodes(2000)).HostLaunchSeconds);
    }

    [Fact]
    public void A_vllm_prompt_step_within_a_raised_cuda_graph_capture_replays_its_graphs_instead_of_launching_from_the_host()
    {
        EngineSpec Spec(int? graphs) => new()
        {
            Model = ModelCatalog.GptOss120B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 4, WeightDtype = DType.Mxfp4, Engine = EngineProfiles.Vllm,
            CudaGraphMaxBatch = graphs,
        };
        var prompt = BatchShape.Of(1000, 0, isDecode: false);
        // The default capture (512 tokens) leaves a 1,000-token step to the host's launches; cuda-graph-sizes 2048 covers it.
        var eager = new StepTimeModel(Spec(null), EngineOverheads.None).Cost(prompt);
        var graphed = new StepTimeModel(Spec(2048), EngineOverheads.None).Cost(prompt);
        Assert.True(eager.HostLaunchSeconds > 0);
        Assert.Equal(0, graphed.HostLaunchSeconds);
        Assert.True(graphed.TotalSeconds < eager.TotalSeconds);
        // A capture below the step's tokens leaves it eager again, and a smaller one makes decode batches eager too.
        Assert.True(new StepTimeModel(Spec(64), EngineOverheads.None).Cost(Decodes(128)).HostLaunchSeconds > 0);
        Assert.Equal(2048, Spec(2048).EffectiveCudaGraphMaxBatch);
        Assert.Equal(EngineProfiles.Vllm.CudaGraphMaxBatch, Spec(null).EffectiveCudaGraphMaxBatch);
    }

    [Fact]
    public void A_cuda_graph_capture_below_one_is_refused_naming_its_flag()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Bf16, CudaGraphMaxBatch = 0 };
        var error = Assert.Throws<InputException>(() => spec.Validate());
        Assert.Contains("--cuda-graph-max", error.Message);
    }

    [Fact]
    public void A100_gemms_of_thousands_of_rows_run_near_the_library_peak_and_a_decode_batch_at_the_few_row_efficiency()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.A100_80G, TensorParallel = 8, WeightDtype = DType.Bf16, Engine = EngineProfiles.Trtllm };
        var model = new StepTimeModel(spec, EngineOverheads.None);
        var flopsPerToken = 2.0 * spec.Model.ActiveLayerParamsPerToken / 8;
        double Efficiency(int rows) => rows * flopsPerToken / model.Cost(Decodes(rows)).ComputeSeconds / spec.Gpu.Bf16Flops;
        // A decode batch's few hundred rows stay near the fitted 0.45; a long prompt's GEMMs approach 0.81 (1.8 × 0.45).
        Assert.InRange(Efficiency(256), 0.45, 0.5);
        Assert.InRange(Efficiency(8192), 0.7, 0.81);
        Assert.True(Efficiency(4096) > Efficiency(1024));
    }

    [Fact]
    public void Gemm_efficiency_does_not_depend_on_the_rows_where_the_gpu_has_no_gain()
    {
        var model = new StepTimeModel(Specs[0], EngineOverheads.None);
        double PerToken(int rows) => model.Cost(Decodes(rows)).ComputeSeconds / rows;
        Assert.Equal(1, GpuCatalog.H100Sxm.GemmLargeRowsGain);
        Assert.Equal(PerToken(8192), PerToken(256), 1e-3 * PerToken(256));
    }

    // A batch of this many one-token decodes: every GEMM of the step has that many rows.
    private static BatchShape Decodes(int rows)
    {
        var shape = new BatchShape();
        for (var i = 0; i < rows; i++) shape.Add(1, 100, isDecode: true);
        return shape;
    }
}
