using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// Nemotron 3 Nano: 52 layers of one block each, 23 Mamba2 mixers, 6 attention layers and 23 expert layers.
public class NemotronHTests
{
    private static readonly ModelSpec Nano = ModelCatalog.Nemotron3Nano30B;
    private static readonly EngineSpec Tp2 = new() { Model = Nano, Gpu = GpuCatalog.B200, TensorParallel = 2, WeightDtype = DType.Fp8 };

    [Fact]
    public void Each_layer_holds_one_block_whose_kinds_the_pattern_counts()
    {
        Assert.Equal(new NemotronHPattern(Mamba: 23, Attention: 6, Mlp: 0, Experts: 23), NemotronHPattern.Read("MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME", "test"));
        Assert.Equal(52, Nano.Layers);
        Assert.Equal(6, Nano.AttentionLayers);
        Assert.Equal(23, Nano.Linear!.Layers);
        Assert.Equal(23, Nano.MoeLayers);
        Assert.Equal(0, Nano.DenseMlpLayers);
        // One block in each of the 52 layers' two sub-layer slots.
        Assert.Equal(0.5, Nano.SublayerShare);
        // The dense Nemotron Nano 9B v2: 27 Mamba2, 4 attention and 25 MLP layers of 15680.
        var nine = ModelCatalog.NemotronNano9Bv2;
        Assert.Equal((27, 4, 25), (nine.Linear!.Layers, nine.AttentionLayers, nine.DenseMlpLayers));
        Assert.Equal(25L * 15680, nine.Nas!.MlpWidthSum);
    }

    [Fact]
    public void The_geometry_gives_the_cards_parameters_with_two_matrix_squared_relu_experts_and_a_mamba2_mixer()
    {
        // Experts and MLPs are up and down projections only.
        Assert.Equal(2.0 * 2688 * 1856, Nano.ExpertParams);
        Assert.Equal(2.0 * 4480 * 15680, ModelCatalog.NemotronNano9Bv2.DenseMlpParams);
        // Mamba2: in-projection to z and x (2 × 4,096), B and C (2 × 8 groups × 128) and one dt a head (64); the
        // convolution over x, B and C (6,144 channels, kernel 4); the out-projection from 4,096.
        Assert.Equal(2688.0 * (2 * 4096 + 2 * 8 * 128 + 64) + 6144 * 4 + 4096.0 * 2688, Nano.Linear!.ParamsPerLayer(2688));
        Assert.InRange(Nano.TotalParams, 31.5e9, 31.65e9);
        Assert.InRange(Nano.ActiveParams, 3.55e9, 3.6e9);
        Assert.InRange(ModelCatalog.NemotronNano9Bv2.TotalParams, 8.85e9, 8.92e9);
        Assert.InRange(ModelCatalog.NemotronNano12Bv2.TotalParams, 12.25e9, 12.35e9);
    }

    [Fact]
    public void Nemotron_3_supers_latent_experts_work_in_1024_wide_and_its_geometry_gives_the_checkpoints_tensors()
    {
        var super = ModelCatalog.Nemotron3Super120B;
        Assert.Equal(1024, super.ExpertInput);
        // A routed expert is 1024 × 2688 up and 2688 × 1024 down: the checkpoint's 107,898,470,400 inactive expert
        // parameters are 40 layers × (512 − 22) of them.
        Assert.Equal(2.0 * 1024 * 2688, super.ExpertParams);
        Assert.Equal(107_898_470_400, 40 * (512 - 22) * super.ExpertParams);
        // Every token runs the shared expert (5376 on the hidden state), the router and the 4096 ↔ 1024 projections.
        Assert.Equal(2.0 * 4096 * 5376 + 4096.0 * 512 + 2.0 * 4096 * 1024, super.MoeDenseParamsPerLayer);
        // The checkpoint's backbone (123,611,012,096 less its 2,942,324,736 MTP layer) and active tensors, but norms and biases.
        Assert.InRange(super.TotalParams, 120_668_687_360 - 2e6, 120_668_687_360);
        Assert.InRange(super.ActiveParams, 12_770_216_960 - 2e6, 12_770_216_960);
    }

    [Fact]
    public void Nims_and_build_nvidias_names_resolve_to_the_bf16_checkpoints_and_nvidias_exports_declare_an_fp8_kv_cache()
    {
        Assert.Equal(Nano.Id, ModelCatalog.Get("nvidia/nemotron-3-nano-30b-a3b").Id);
        Assert.Equal(ModelCatalog.Nemotron3Super120B.Id, ModelCatalog.Get("nvidia/nemotron-3-super-120b-a12b").Id);
        var nvfp4 = ModelCatalog.Get("nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4");
        Assert.Equal((DType.Fp4, DType.Fp8), (nvfp4.CheckpointDtype, nvfp4.CheckpointKvDtype));
    }

    [Fact]
    public void A_latent_expert_layer_dispatches_its_latent_not_the_hidden_state()
    {
        var dep = new EngineSpec
        {
            Model = ModelCatalog.Nemotron3Super120B, Gpu = GpuCatalog.B200, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm,
        };
        var latent = new StepTimeModel(dep, EngineOverheads.None).Cost(BatchShape.Decodes(256, 256 * 1000)).TpCommSeconds;
        var hidden = new StepTimeModel(dep with { Model = dep.Model with { Moe = dep.Model.Moe! with { LatentSize = 0 } } }, EngineOverheads.None)
            .Cost(BatchShape.Decodes(256, 256 * 1000)).TpCommSeconds;
        Assert.True(latent < hidden);
    }

    [Fact]
    public void Only_the_six_attention_layers_keep_a_kv_cache_and_each_sequence_keeps_an_fp32_ssm_state()
    {
        // 6 layers × (K and V) × 2 KV heads × 128 × 2 bytes.
        Assert.Equal(6 * 2 * 2 * 128 * 2, Nano.KvBytesPerToken(DType.Bf16));
        // Per Mamba2 layer: 64 heads × 64 × a state of 128 in FP32, and the convolution's last 3 inputs of 6,144 channels.
        Assert.Equal(23 * (64 * 64 * 128 * 4 + 6144 * 3 * 2), Nano.RecurrentStateBytesPerSequence);
        Assert.Equal(Nano.RecurrentStateBytesPerSequence / 2, MemoryModel.RecurrentStateBytesPerGpu(Tp2));
        Assert.False(Tp2.PrefixCachesPrompts);
    }

    [Fact]
    public void Under_tp_each_layer_all_reduces_once_its_one_block()
    {
        var comm = new StepTimeModel(Tp2, EngineOverheads.None).Cost(BatchShape.Decodes(1, 1000)).TpCommSeconds;
        var dense = Tp2 with { Model = ModelCatalog.Llama31_8B };
        var denseComm = new StepTimeModel(dense, EngineOverheads.None).Cost(BatchShape.Decodes(1, 1000)).TpCommSeconds;
        // A lone decode's all-reduces are latency: 52 for the hybrid's 52 blocks, 64 for Llama-3.1-8B's 32 layers of two.
        Assert.Equal(52.0 / 64, comm / denseComm, 2);
    }

    [Fact]
    public void A_decode_steps_weight_read_covers_the_mamba2_mixers_beside_attention_and_the_routed_experts()
    {
        var step = new StepTimeModel(Tp2, EngineOverheads.None).Cost(BatchShape.Decodes(1, 100));
        var withoutMixers = new StepTimeModel(Tp2 with { Model = Nano with { Linear = Nano.Linear! with { Layers = 0 } } }, EngineOverheads.None)
            .Cost(BatchShape.Decodes(1, 100));
        // 23 mixers of 38.7M parameters in FP8 over two ranks: 0.45 GB more read a step.
        var mixerBytes = Nano.LinearAttentionParams * DType.Fp8.Bytes() / 2;
        Assert.InRange(step.MemorySeconds - withoutMixers.MemorySeconds, 0.9 * mixerBytes / GpuCatalog.B200.HbmBandwidth, 2 * mixerBytes / GpuCatalog.B200.HbmBandwidth);
    }
}
