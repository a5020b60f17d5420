using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class BlackwellMxfp4ExpertsTests
{
    private static EngineSpec GptOssOnB200(MoeBackend? backend = null, EngineProfile? engine = null) => new()
    {
        Model = ModelCatalog.GptOss120B, Gpu = GpuCatalog.B200, TensorParallel = 1, WeightDtype = DType.Mxfp4,
        Engine = engine ?? EngineProfiles.Trtllm, MoeBackend = backend,
    };

    private static BatchShape Decodes(int sequences)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, 1_000, isDecode: true);
        return shape;
    }

    private static BatchShape Prefill(int tokens)
    {
        var shape = new BatchShape();
        shape.Add(tokens, tokens, isDecode: false);
        return shape;
    }

    private static StepCost Cost(EngineSpec spec, BatchShape batch) => new StepTimeModel(spec, EngineOverheads.None).Cost(batch);

    [Fact]
    public void Each_further_expert_a_b200_decode_step_hits_streams_at_four_fifths_of_the_hbm_peak()
    {
        var m = ModelCatalog.GptOss120B;
        var moe = m.Moe!;
        var spec = GptOssOnB200();
        var moreExperts = StepTimeModel.ExpectedExpertsHit(moe.RoutedExperts, moe.ExpertsPerToken, 64)
            - StepTimeModel.ExpectedExpertsHit(moe.RoutedExperts, moe.ExpertsPerToken, 1);
        var moreBytes = moreExperts * m.MoeLayers * m.ExpertParams * DType.Mxfp4.Bytes();
        var added = Cost(spec, Decodes(64)).MemorySeconds - Cost(spec, Decodes(1)).MemorySeconds;
        Assert.Equal(moreBytes / (GpuCatalog.B200.HbmBandwidth * BlackwellFp4Experts.WeightStream), added, 1e-9);
        // The dense layers' weights keep B200's fitted efficiency, below the experts' stream.
        Assert.True(GpuCatalog.B200.HbmEfficiency < BlackwellFp4Experts.WeightStream);
    }

    [Fact]
    public void Nvfp4_experts_on_b200_stream_at_the_same_rate_where_other_formats_and_gpus_do_not()
    {
        var m = ModelCatalog.DeepSeekV3;
        var moe = m.Moe!;
        var spec = new EngineSpec { Model = m, Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Fp4, Engine = EngineProfiles.Trtllm };
        var moreExperts = StepTimeModel.ExpectedExpertsHit(moe.RoutedExperts, moe.ExpertsPerToken, 32)
            - StepTimeModel.ExpectedExpertsHit(moe.RoutedExperts, moe.ExpertsPerToken, 4);
        var moreBytes = moreExperts * m.MoeLayers * m.ExpertParams * DType.Fp4.Bytes() / 8;
        var added = Cost(spec, Decodes(32)).MemorySeconds - Cost(spec, Decodes(4)).MemorySeconds;
        Assert.Equal(moreBytes / (GpuCatalog.B200.HbmBandwidth * BlackwellFp4Experts.WeightStream), added, 1e-9);
        Assert.False(BlackwellFp4Experts.StreamAtOwnRate(GpuCatalog.H200Sxm, DType.Mxfp4));
        Assert.False(BlackwellFp4Experts.StreamAtOwnRate(GpuCatalog.B200, DType.Fp8));
    }

    [Fact]
    public void A_decode_step_whose_experts_fit_one_tile_is_bound_by_their_weight_stream_not_by_a_second_load_in_their_math()
    {
        // 64 sequences × top-4 over 128 experts: about two rows per expert, one 8-row TensorRT-LLM-gen tile each, whose
        // weight-block load is the weight read the memory term charges.
        var cost = Cost(GptOssOnB200(), Decodes(64));
        Assert.True(cost.ComputeSeconds < 0.25 * cost.MemorySeconds, $"compute {cost.ComputeSeconds * 1e3:F2} ms, memory {cost.MemorySeconds * 1e3:F2} ms");
    }

    private static EngineSpec DeepSeekNvfp4OnB200(MoeBackend? backend = null) => new()
    {
        Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.B200, TensorParallel = 4, WeightDtype = DType.Fp4,
        Engine = EngineProfiles.Trtllm, MoeBackend = backend,
    };

    [Fact]
    public void An_nvfp4_decode_step_below_the_largest_tile_is_bound_by_its_weight_stream_and_pays_fixed_work_each_moe_layer()
    {
        // 32 sequences × top-8 over 256 experts: about one row per hit expert, one 8-row tile each, whose load is the read.
        var gen = Cost(DeepSeekNvfp4OnB200(), Decodes(32));
        Assert.True(gen.ComputeSeconds < 0.25 * gen.MemorySeconds, $"compute {gen.ComputeSeconds * 1e3:F2} ms, memory {gen.MemorySeconds * 1e3:F2} ms");
        // TensorRT-LLM-gen's fixed work (routing, FP4 quantize, permute, GEMM fill, finalize) a MoE layer; CUTLASS has none of its own.
        var cutlass = Cost(DeepSeekNvfp4OnB200(MoeBackend.Cutlass), Decodes(32));
        var fixedWork = ModelCatalog.DeepSeekV3.MoeLayers * BlackwellFp4Experts.Nvfp4MoeLayerSeconds;
        Assert.Equal(fixedWork, gen.ElementwiseSeconds - cutlass.ElementwiseSeconds, 1e-12);
    }

    [Fact]
    public void At_the_largest_tile_an_nvfp4_expert_keeps_every_weight_load_in_its_math_as_its_efficiency_was_fitted()
    {
        // 16,384 prompt tokens × 8 ÷ 256 experts: 512 rows an expert, 128-row tiles: TensorRT-LLM-gen's loss at its largest
        // tile is the fitted efficiency itself, which CUTLASS's fixed tile takes too, so their math is the same.
        var prefill = Prefill(16_384);
        Assert.Equal(Cost(DeepSeekNvfp4OnB200(MoeBackend.Cutlass), prefill).ComputeSeconds, Cost(DeepSeekNvfp4OnB200(), prefill).ComputeSeconds, 1e-12);
        // MXFP4's first load is the read at every tile: its long prefill costs less math on TensorRT-LLM-gen than on CUTLASS.
        Assert.True(Cost(GptOssOnB200(), prefill).ComputeSeconds < Cost(GptOssOnB200(MoeBackend.Cutlass), prefill).ComputeSeconds);
    }

    [Fact]
    public void Tensorrt_llm_gen_tiles_follow_the_rows_where_cutlass_pads_each_expert_to_its_fixed_tile()
    {
        var gen = GptOssOnB200();
        var cutlass = GptOssOnB200(MoeBackend.Cutlass);
        // A decode step's few rows per expert: an 8-row tile against CUTLASS's 128 rows.
        var decode = Decodes(64);
        Assert.True(Cost(gen, decode).ComputeSeconds < 0.3 * Cost(cutlass, decode).ComputeSeconds);
        // A long prefill fills many tiles per expert either way: the later tiles reload their weights, and the two are close.
        var prefill = Prefill(16_384);
        var ratio = Cost(gen, prefill).ComputeSeconds / Cost(cutlass, prefill).ComputeSeconds;
        Assert.InRange(ratio, 0.8, 1.1);
        // The weights stream alike: the kernel changes the math, not the bytes.
        Assert.Equal(Cost(cutlass, decode).MemorySeconds, Cost(gen, decode).MemorySeconds, 1e-12);
    }

    [Fact]
    public void Vllm_hands_the_kernel_its_own_tile_guess_rows_per_expert_times_1_3_within_8_to_64()
    {
        var vllm = Mxfp4MoeKernels.TileRule(GpuCatalog.B200, DType.Mxfp4, ServingEngine.Vllm)!.Value;
        // 64 decodes × top-4 ÷ 128 experts = 2 rows, × 1.3 = 2: the smallest tile, 8.
        Assert.Equal(8, Mxfp4MoeKernels.TileRows(64, 128, 4, vllm));
        // A 920-token prompt: 28 rows, × 1.3 = 36: 64 rows, where TensorRT-LLM's own rule covers 28 with 32.
        Assert.Equal(64, Mxfp4MoeKernels.TileRows(920, 128, 4, vllm));
        // An 8,192-token chunk: 256 rows still take 64-row tiles (TensorRT-LLM's autotuner goes to 128).
        Assert.Equal(64, Mxfp4MoeKernels.TileRows(8192, 128, 4, vllm));
    }

    [Fact]
    public void A_vllm_prefill_chunk_on_b200_pays_more_expert_math_than_tensorrt_llm_at_its_larger_tiles_while_decode_stays_bound_by_the_weight_stream()
    {
        var vllm = GptOssOnB200(MoeBackend.FlashinferMxfp8, EngineProfiles.Vllm);
        var trt = GptOssOnB200();
        // The same MXFP8 activations as TensorRT-LLM's. 8,192 tokens: 256 rows an expert in four 64-row tiles against two
        // of 128, each later tile reloading its weights.
        var chunk = Prefill(8192);
        Assert.InRange(Cost(vllm, chunk).ComputeSeconds / Cost(trt, chunk).ComputeSeconds, 1.1, 1.6);
        // A decode step's two rows an expert: one 8-row tile in either engine, whose load is the weight read.
        var decode = Decodes(64);
        Assert.True(Cost(vllm, decode).ComputeSeconds < 0.25 * Cost(vllm, decode).MemorySeconds);
    }

    [Fact]
    public void Cutlass_is_refused_outside_tensorrt_llm_fp4_experts_on_blackwell_naming_the_flag()
    {
        GptOssOnB200(MoeBackend.Cutlass).Validate();
        var vllm = Assert.Throws<InputException>(() => GptOssOnB200(MoeBackend.Cutlass, EngineProfiles.Vllm).Validate());
        Assert.Contains("--moe-backend cutlass", vllm.Message);
        Assert.Contains("vllm", vllm.Message);
        var hopper = Assert.Throws<InputException>(() => (GptOssOnB200(MoeBackend.Cutlass) with { Gpu = GpuCatalog.H200Sxm }).Validate());
        Assert.Contains("h200", hopper.Message);
        // NVFP4 experts run on it too (DeepSeek-R1 FP4's max-throughput recipe); BF16 ones do not.
        var nvfp4 = GptOssOnB200(MoeBackend.Cutlass) with { Model = ModelCatalog.Get("nvidia/Qwen3-30B-A3B-FP4"), WeightDtype = DType.Fp4 };
        nvfp4.Validate();
        var bf16 = nvfp4 with { Model = ModelCatalog.Qwen3_30B_A3B, WeightDtype = DType.Bf16 };
        Assert.Contains("Leave out --moe-backend", Assert.Throws<InputException>(() => bf16.Validate()).Message);
    }

    [Fact]
    public void Vllms_default_bf16_activations_double_a_b200_prefills_expert_math_but_stream_the_same_weights()
    {
        var bf16 = GptOssOnB200(engine: EngineProfiles.Vllm);
        var mxfp8 = GptOssOnB200(MoeBackend.FlashinferMxfp8, EngineProfiles.Vllm);
        Assert.True(bf16.Mxfp4ExpertsTakeBf16Activations);
        Assert.False(mxfp8.Mxfp4ExpertsTakeBf16Activations);
        Assert.False(GptOssOnB200().Mxfp4ExpertsTakeBf16Activations); // TensorRT-LLM: W4A8_MXFP4_MXFP8
        Assert.False(GptOssOnB200(engine: EngineProfiles.Sglang).Mxfp4ExpertsTakeBf16Activations);
        Assert.True(GptOssOnB200(MoeBackend.FlashinferBf16, EngineProfiles.Sglang).Mxfp4ExpertsTakeBf16Activations);
        // Only the routed experts change (the checkpoint's BF16 layers take BF16's rate either way): an 8,192-token chunk's
        // math, mostly the experts', grows by less than twice.
        var chunk = Prefill(8192);
        Assert.InRange(Cost(bf16, chunk).ComputeSeconds / Cost(mxfp8, chunk).ComputeSeconds, 1.3, 2.0);
        Assert.Equal(Cost(mxfp8, chunk).AttentionComputeSeconds, Cost(bf16, chunk).AttentionComputeSeconds, 12);
        var decode = Decodes(64);
        Assert.Equal(Cost(mxfp8, decode).MemorySeconds, Cost(bf16, decode).MemorySeconds, 1e-12);
        // Refused where it does not apply, naming the flag.
        Assert.Contains("--moe-backend flashinfer-mxfp8", Assert.Throws<InputException>(() => (mxfp8 with { Gpu = GpuCatalog.H200Sxm }).Validate()).Message);
        Assert.Contains("--moe-backend flashinfer-bf16", Assert.Throws<InputException>(() => GptOssOnB200(MoeBackend.FlashinferBf16).Validate()).Message);
    }

    [Fact]
    public void A_figure_served_through_cutlass_prints_the_flag_that_reproduces_it()
    {
        // Release 1.1's per-GPU overview names CUTLASS for gpt-oss on B200, release 1.2's TRTLLM (the default).
        static CalibrationPoint Dep2(string source) => CalibrationSet.Points.First(p =>
            p.Source.StartsWith(source, StringComparison.Ordinal) && p.Setup.StartsWith("gpt-oss-120b B200 DEP2", StringComparison.Ordinal));
        var figure = Dep2("TensorRT-LLM perf overview, per-GPU edition");
        Assert.Equal(MoeBackend.Cutlass, figure.Options.Engine.MoeBackend);
        Assert.Contains("--moe-backend cutlass", EstimateCommandLine.Format(figure.Options));
        Assert.DoesNotContain("--moe-backend", EstimateCommandLine.Format(Dep2("TensorRT-LLM 1.2 perf overview").Options));
        var inferenceMax = CalibrationSet.Points.First(p => p.Setup.StartsWith("gpt-oss-120b B200 TP2", StringComparison.Ordinal) && p.Options.Engine.Engine.Engine == ServingEngine.Trtllm);
        Assert.DoesNotContain("--moe-backend", EstimateCommandLine.Format(inferenceMax.Options));
        // Its vLLM B200 runs set VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8=1.
        var vllm = CalibrationSet.Points.First(p => p.Setup.StartsWith("gpt-oss-120b B200 TP2", StringComparison.Ordinal) && p.Options.Engine.Engine.Engine == ServingEngine.Vllm);
        Assert.Contains("--moe-backend flashinfer-mxfp8", EstimateCommandLine.Format(vllm.Options));
    }

    [Fact]
    public void Vllms_mxfp4_moe_on_b200_costs_a_fixed_time_each_moe_layer_that_other_engines_and_cutlass_do_not_pay()
    {
        var vllm = GptOssOnB200(MoeBackend.FlashinferMxfp8, EngineProfiles.Vllm);
        var without = vllm with { Engine = EngineProfiles.Vllm with { Mxfp4MoeLayerSeconds = 0 } };
        var moeLayers = ModelCatalog.GptOss120B.MoeLayers;
        // It joins the kernels between the GEMMs, at every batch size, in decode and prefill alike.
        foreach (var batch in new[] { Decodes(4), Decodes(64), Prefill(2048) })
        {
            Assert.Equal(moeLayers * EngineProfiles.VllmMxfp4MoeLayerSeconds, Cost(vllm, batch).ElementwiseSeconds - Cost(without, batch).ElementwiseSeconds, 9);
            Assert.True(Cost(vllm, batch).TotalSeconds > Cost(without, batch).TotalSeconds);
        }
        // vLLM's default BF16 activations reach the same kernel through the same path.
        Assert.Equal(EngineProfiles.VllmMxfp4MoeLayerSeconds, BlackwellFp4Experts.MoeLayerSeconds(GptOssOnB200(engine: EngineProfiles.Vllm), trtllmGenKernels: true));
        // SGLang drives the same kernel without it, TensorRT-LLM's own MXFP4 MoE too; CUTLASS's MoE and other GPUs never.
        Assert.Equal(0, BlackwellFp4Experts.MoeLayerSeconds(GptOssOnB200(engine: EngineProfiles.Sglang), trtllmGenKernels: true));
        Assert.Equal(0, BlackwellFp4Experts.MoeLayerSeconds(GptOssOnB200(), trtllmGenKernels: true));
        Assert.Equal(0, BlackwellFp4Experts.MoeLayerSeconds(GptOssOnB200(MoeBackend.Cutlass, EngineProfiles.Vllm), trtllmGenKernels: true));
        var hopper = vllm with { Gpu = GpuCatalog.H200Sxm, MoeBackend = null };
        Assert.Equal(Cost(hopper with { Engine = without.Engine }, Decodes(4)).ElementwiseSeconds, Cost(hopper, Decodes(4)).ElementwiseSeconds, 12);
        // NVFP4 keeps TensorRT-LLM-gen's fixed work in every engine.
        Assert.Equal(BlackwellFp4Experts.Nvfp4MoeLayerSeconds, BlackwellFp4Experts.MoeLayerSeconds(vllm with { WeightDtype = DType.Fp4, MoeBackend = null }, trtllmGenKernels: true));
    }

    [Fact]
    public void Vllm_0_11s_one_b200_gpt_oss_decode_at_four_clients_lands_within_15_percent_of_inferencemax()
    {
        // InferenceMAX: 4.06 ms a token published; the kernels and weights alone gave 3.19 (-21%).
        var point = CalibrationSet.Points.First(p => p.Setup.StartsWith("gpt-oss-120b B200 TP1 MXFP4, random 819-1024/819-1024, concurrency 4,", StringComparison.Ordinal)
            && p.Options.Engine.Engine.Engine == ServingEngine.Vllm && p.Metric == CalibrationMetric.ItlMeanMs);
        var row = CalibrationRunner.Run(points: [point]).Single();
        Assert.InRange(row.Error, -0.15, 0.15);
    }
}
