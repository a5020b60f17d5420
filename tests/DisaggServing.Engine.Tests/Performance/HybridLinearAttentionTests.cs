using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// Qwen3-Next: 36 Gated DeltaNet layers, whose state is fixed per sequence, beside 12 full-attention layers with a KV cache.
public class HybridLinearAttentionTests
{
    private static readonly EngineSpec Tp4 = new() { Model = ModelCatalog.Qwen3Next80B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 4, WeightDtype = DType.Bf16 };

    [Fact]
    public void Only_the_full_attention_layers_keep_a_kv_cache_and_each_sequence_keeps_a_fixed_state_in_the_linear_ones()
    {
        var model = ModelCatalog.Qwen3Next80B;
        Assert.Equal(12, model.AttentionLayers);
        // 12 layers × (K and V) × 2 KV heads × 256 × 2 bytes.
        Assert.Equal(12 * 2 * 2 * 256 * 2, model.KvBytesPerToken(DType.Bf16));
        // Per linear layer: 32 value heads × 128 × 128 of BF16 state, and the convolution's last 3 inputs of 8,192 channels.
        Assert.Equal(36 * (32 * 128 * 128 * 2 + 8192 * 3 * 2), model.RecurrentStateBytesPerSequence);
        // On one of four ranks: a quarter of the heads' state, 51 blocks of 16 tokens' KV (the rank's one KV head).
        Assert.Equal(model.RecurrentStateBytesPerSequence / 4, MemoryModel.RecurrentStateBytesPerGpu(Tp4));
        var plan = MemoryModel.Plan(Tp4);
        Assert.Equal(12 * 2 * 1 * 256 * 2, plan.KvBytesPerToken);
        Assert.Equal(51, MemoryModel.StateBlocksPerSequence(Tp4, plan));
        Assert.Equal(0, MemoryModel.StateBlocksPerSequence(Tp4 with { Model = ModelCatalog.Qwen3_30B_A3B }, MemoryModel.Plan(Tp4 with { Model = ModelCatalog.Qwen3_30B_A3B })));
    }

    [Fact]
    public void A_decode_step_reads_and_writes_every_sequences_state_beside_the_kv_its_context_holds()
    {
        var model = new StepTimeModel(Tp4, EngineOverheads.None);
        static BatchShape Decodes(int sequences, int context)
        {
            var shape = new BatchShape();
            for (var i = 0; i < sequences; i++) shape.Add(1, context, true);
            return shape;
        }
        var shortContext = model.Cost(Decodes(32, 0)).KvSeconds;
        var longContext = model.Cost(Decodes(32, 1000)).KvSeconds;
        // The 1,000 more tokens each of 32 sequences reads are the KV's; what the short step reads is the states, twice.
        var state = MemoryModel.RecurrentStateBytesPerGpu(Tp4);
        var kv = MemoryModel.KvBytesPerTokenPerGpu(Tp4);
        Assert.Equal((2 * state + kv) / (1000 * kv), shortContext / (longContext - shortContext), 6);
        // And twice the sequences, twice the state traffic.
        Assert.Equal(2 * shortContext, model.Cost(Decodes(64, 0)).KvSeconds, 9);
    }

    [Fact]
    public void Sglang_keeps_the_recurrent_state_in_fp32_by_default_where_vllm_keeps_the_configs_bf16()
    {
        var sglang = Tp4 with { Engine = EngineProfiles.Sglang };
        // The heads' state doubles (4 bytes an element); the convolution's inputs stay in the model's BF16.
        var bf16 = ModelCatalog.Qwen3Next80B.RecurrentStateBytesPerSequence;
        Assert.Equal(bf16 + 36 * 32 * 128 * 128 * 2, sglang.RecurrentStateBytesPerSequence);
        Assert.Equal(bf16, Tp4.RecurrentStateBytesPerSequence);
        Assert.Equal(sglang.RecurrentStateBytesPerSequence / 4, MemoryModel.RecurrentStateBytesPerGpu(sglang));
        // A config that already asks for FP32 (Qwen3.5's mamba_ssm_dtype) is the same under both.
        var qwen35 = Tp4 with { Model = ModelCatalog.Get("Qwen/Qwen3.5-397B-A17B") };
        Assert.Equal(qwen35.RecurrentStateBytesPerSequence, (qwen35 with { Engine = EngineProfiles.Sglang }).RecurrentStateBytesPerSequence);
        // And the state a disaggregated SGLang request hands over is the FP32 one.
        Assert.Equal(sglang.RecurrentStateBytesPerSequence / 4, new KvTransferModel(sglang, sglang, LinkKind.Efa).BytesPerRank(1) - ModelCatalog.Qwen3Next80B.KvBytesPerToken(DType.Bf16) / 2, 3);
    }

    [Fact]
    public void Sglang_keeps_the_recurrent_states_in_a_pool_of_their_own_whose_slots_bound_the_running_requests()
    {
        // SGLang's own limits: 2,048 running requests (its request pool), 8,192 tokens a step.
        var server = Tp4 with { Engine = EngineProfiles.Sglang, MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192 };
        var sglang = server.AsReleased(EngineRelease.Parse("0.5.9", "release"));
        var plan = MemoryModel.Plan(sglang);
        var state = MemoryModel.RecurrentStateBytesPerGpu(sglang);
        var budget = plan.KvBudgetBytes;
        // The pool takes 0.9 of what the KV pool gets (state + KV = the budget), whole slots of one request's state...
        var slots = (long)Math.Floor(budget * 0.9 / 1.9 / state);
        Assert.Equal(slots, plan.StateSlots);
        Assert.Equal((long)Math.Floor((budget - slots * state) / (plan.KvBytesPerToken * plan.BlockSize)), plan.KvBlocks);
        // ...which no request takes from the KV pool, and of which each running request holds three (no_buffer).
        Assert.Equal(0, MemoryModel.StateBlocksPerSequence(sglang, plan));
        Assert.Equal(3, plan.StateSlotsPerRequest);
        Assert.Equal((int)(slots / 3), plan.StateRunningLimit);
        Assert.InRange(plan.StateRunningLimit!.Value, 2, sglang.RunningSeqsLimit - 1);
        Assert.Equal(plan.StateRunningLimit, MemoryModel.RunningSeqsLimit(sglang, plan));
        // From 0.5.14 (extra_buffer with the overlap) a request holds five; before the radix cache held hybrids, one of a
        // pool of 512, the running limit's worth.
        var current = MemoryModel.Plan(server);
        Assert.Equal((5, slots), (current.StateSlotsPerRequest, current.StateSlots!.Value));
        var older = MemoryModel.Plan(server.AsReleased(EngineRelease.Parse("0.5.3", "release")));
        Assert.Equal((512L, 512), (older.StateSlots!.Value, older.StateRunningLimit!.Value));
        Assert.Equal((long)Math.Floor((budget - 512 * state) / (plan.KvBytesPerToken * plan.BlockSize)), older.KvBlocks);
        // vLLM keeps the states in the KV pool's pages and bounds nothing by them; neither engine has a pool for a model without states.
        Assert.Null(MemoryModel.Plan(Tp4).StateSlots);
        Assert.Equal(Tp4.RunningSeqsLimit, MemoryModel.RunningSeqsLimit(Tp4, MemoryModel.Plan(Tp4)));
        Assert.Null(MemoryModel.Plan(sglang with { Model = ModelCatalog.Qwen3_30B_A3B }).StateSlots);
    }

    [Fact]
    public void A_disaggregated_request_hands_its_recurrent_state_to_the_decode_ranks_with_its_kv()
    {
        var transfer = new KvTransferModel(Tp4, Tp4, LinkKind.Efa);
        var kvPerRank = ModelCatalog.Qwen3Next80B.KvBytesPerToken(DType.Bf16) / 2; // two KV heads over four ranks: one each
        Assert.Equal(1000 * kvPerRank + ModelCatalog.Qwen3Next80B.RecurrentStateBytesPerSequence / 4, transfer.BytesPerRank(1000), 3);
        Assert.Equal(0, transfer.BytesPerRank(0));
    }

    [Fact]
    public void A_gated_deltanet_layer_launches_its_chunked_rule_over_a_prompt_and_one_fused_update_a_decode_token()
    {
        var mixer = ModelCatalog.Qwen3Next80B.Linear!;
        // Prompt: norm, two projections, split, convolution, gating, two L2 norms, six chunked kernels, gated norm, output projection.
        Assert.Equal(17, LayerKernels.LinearMixer(mixer, DType.Bf16, prompt: true));
        Assert.Equal(8, LayerKernels.LinearMixer(mixer, DType.Bf16, prompt: false));
        // FP8 quantizes the three projections' inputs.
        Assert.Equal(20, LayerKernels.LinearMixer(mixer, DType.Fp8, prompt: true));
        // The 36 linear layers of 48 count theirs in the layer mean instead of a GQA attention's six.
        var model = ModelCatalog.Qwen3Next80B;
        var withoutMixer = model with { Linear = null };
        Assert.Equal(36.0 * (17 - 6) / 48, LayerKernels.PerLayer(model, DType.Bf16, 4, prompt: true) - LayerKernels.PerLayer(withoutMixer, DType.Bf16, 4, prompt: true), 9);
        Assert.Equal(36.0 * (8 - 6) / 48, LayerKernels.PerLayer(model, DType.Bf16, 4) - LayerKernels.PerLayer(withoutMixer, DType.Bf16, 4), 9);
    }

    [Fact]
    public void A_mamba2_layer_decodes_with_as_many_kernels_as_gqa_attention_and_scans_a_prompt_in_five_more()
    {
        var mixer = LinearAttentionSpec.Mamba2(layers: 23, heads: 64, headDim: 64, groups: 8, stateSize: 128, convKernel: 4, chunk: 128);
        Assert.Equal(6, LayerKernels.LinearMixer(mixer, DType.Bf16, prompt: false));
        Assert.Equal(10, LayerKernels.LinearMixer(mixer, DType.Bf16, prompt: true));
        Assert.Equal(8, LayerKernels.LinearMixer(mixer, DType.Fp8, prompt: false));
    }

    [Fact]
    public void Sglang_launches_a_prompts_chunked_linear_attention_kernels_from_the_host_where_vllms_compiled_forward_does_not()
    {
        static BatchShape Prompt(int tokens)
        {
            var shape = new BatchShape();
            shape.Add(tokens, 0, false);
            return shape;
        }
        static BatchShape Decodes(int sequences)
        {
            var shape = new BatchShape();
            for (var i = 0; i < sequences; i++) shape.Add(1, 100, true);
            return shape;
        }
        var sglang = Tp4 with { Engine = EngineProfiles.Sglang };
        var model = new StepTimeModel(sglang, EngineOverheads.None);
        var plain = new StepTimeModel(sglang with { Model = ModelCatalog.Qwen3Next80B with { Linear = null } }, EngineOverheads.None);
        // A prompt step runs eagerly: each of the 36 linear layers launches its 17 kernels where attention would launch 6.
        var extra = 36 * (17 - 6) * EngineProfiles.Sglang.EagerKernelSeconds;
        Assert.Equal(extra, model.Cost(Prompt(600)).HostLaunchSeconds - plain.Cost(Prompt(600)).HostLaunchSeconds, 9);
        // A decode step too large for SGLang's graphs runs eagerly with the recurrent update's 8.
        Assert.Equal(36 * (8 - 6) * EngineProfiles.Sglang.EagerKernelSeconds,
            model.Cost(Decodes(600)).HostLaunchSeconds - plain.Cost(Decodes(600)).HostLaunchSeconds, 9);
        // vLLM's compiled forward launches the decode path's count for a prompt too.
        var vllm = new StepTimeModel(Tp4, EngineOverheads.None);
        var vllmPlain = new StepTimeModel(Tp4 with { Model = ModelCatalog.Qwen3Next80B with { Linear = null } }, EngineOverheads.None);
        Assert.Equal(36 * (8 - 6) * EngineProfiles.Vllm.EagerKernelSeconds,
            vllm.Cost(Prompt(4000)).HostLaunchSeconds - vllmPlain.Cost(Prompt(4000)).HostLaunchSeconds, 9);
    }
}
