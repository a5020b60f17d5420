using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// TensorRT-LLM behind attention DP runs the dense MLPs and shared experts data-parallel: whole weights on every rank, no collective.
public class AttentionDpMlpTests
{
    private static EngineSpec MaverickDep8(EngineProfile engine, bool attentionDp = true) => new()
    {
        Model = ModelCatalog.Llama4Maverick, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8,
        AttentionDataParallel = attentionDp, WeightDtype = DType.Fp8, Engine = engine,
    };

    private static readonly EngineProfile Sharded = EngineProfiles.Trtllm with { AttentionDpReplicatesMlp = false };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void Tensorrt_llm_replicates_mavericks_dense_mlps_and_shared_experts_behind_attention_dp()
    {
        Assert.True(EngineProfiles.Trtllm.AttentionDpReplicatesMlp);
        // 24 dense MLPs of 16,384 and 24 shared experts of 8,192, FP8: each rank holds the 7/8 it would not have held.
        var m = ModelCatalog.Llama4Maverick;
        var extra = 24 * 3.0 * m.Hidden * (16384 + 8192) * 7 / 8;
        var replicated = MemoryModel.Plan(MaverickDep8(EngineProfiles.Trtllm));
        var sharded = MemoryModel.Plan(MaverickDep8(Sharded));
        Assert.Equal(extra, replicated.WeightBytes - sharded.WeightBytes, 0);
        Assert.True(replicated.KvTokens < sharded.KvTokens);
    }

    [Fact]
    public void Replicated_mlps_exchange_nothing_but_every_rank_reads_their_whole_weights()
    {
        var decode = Decodes(8 * 512, 1500);
        var replicated = new StepTimeModel(MaverickDep8(EngineProfiles.Trtllm), EngineOverheads.None).Cost(decode);
        var sharded = new StepTimeModel(MaverickDep8(Sharded), EngineOverheads.None).Cost(decode);
        // The 24 dense layers' gathers and scatters (an all-reduce's bytes each) are gone; the MoE layers' remain.
        Assert.InRange(replicated.TpCommSeconds, 0.3 * sharded.TpCommSeconds, 0.9 * sharded.TpCommSeconds);
        Assert.True(replicated.MemorySeconds > sharded.MemorySeconds);
        Assert.Equal(sharded.ComputeSeconds, replicated.ComputeSeconds, 12);
        Assert.True(replicated.TotalSeconds < sharded.TotalSeconds);
    }

    [Fact]
    public void Without_attention_dp_the_mlps_stay_split_by_tensor_parallelism()
    {
        var decode = Decodes(512, 1500);
        var trtllm = MaverickDep8(EngineProfiles.Trtllm, attentionDp: false);
        var sharded = MaverickDep8(Sharded, attentionDp: false);
        Assert.Equal(new StepTimeModel(sharded, EngineOverheads.None).Cost(decode), new StepTimeModel(trtllm, EngineOverheads.None).Cost(decode));
        Assert.Equal(MemoryModel.Plan(sharded).WeightBytes, MemoryModel.Plan(trtllm).WeightBytes);
    }

    [Fact]
    public void A_moe_model_without_dense_layers_or_shared_experts_is_unchanged()
    {
        // Qwen3-235B: every layer MoE, no shared expert, so nothing is replicated.
        var qwen = MaverickDep8(EngineProfiles.Trtllm) with { Model = ModelCatalog.Qwen3_235B };
        var qwenSharded = qwen with { Engine = Sharded };
        Assert.Equal(MemoryModel.Plan(qwenSharded).WeightBytes, MemoryModel.Plan(qwen).WeightBytes);
        var decode = Decodes(8 * 256, 1500);
        Assert.Equal(new StepTimeModel(qwenSharded, EngineOverheads.None).Cost(decode).TotalSeconds,
            new StepTimeModel(qwen, EngineOverheads.None).Cost(decode).TotalSeconds, 12);
    }
}
