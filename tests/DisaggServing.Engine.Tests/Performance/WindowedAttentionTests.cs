using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class WindowedAttentionTests
{
    private static EngineSpec Spec(ModelSpec model, int tp = 1) => new()
    {
        Model = model, Gpu = GpuCatalog.H200Sxm, TensorParallel = tp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void Sliding_window_layers_read_only_the_window_at_long_contexts()
    {
        var windowed = new StepTimeModel(Spec(ModelCatalog.GptOss120B), EngineOverheads.None);
        var full = new StepTimeModel(Spec(ModelCatalog.GptOss120B with { Window = null }), EngineOverheads.None);
        // Within the window both read the same keys.
        var shortContext = Decodes(64, 100);
        Assert.Equal(full.Cost(shortContext).KvSeconds, windowed.Cost(shortContext).KvSeconds, 12);
        // At 16K keys half the layers read 128: a little over half the KV stream and attention.
        var longContext = Decodes(64, 16_000);
        Assert.InRange(windowed.Cost(longContext).KvSeconds / full.Cost(longContext).KvSeconds, 0.5, 0.51);
        Assert.InRange(windowed.Cost(longContext).AttentionComputeSeconds / full.Cost(longContext).AttentionComputeSeconds, 0.5, 0.51);
    }

    [Fact]
    public void Chunked_attention_costs_like_full_attention_within_a_chunk_and_less_beyond()
    {
        var chunked = new StepTimeModel(Spec(ModelCatalog.Llama4Scout, 2), EngineOverheads.None);
        var full = new StepTimeModel(Spec(ModelCatalog.Llama4Scout with { Window = null }, 2), EngineOverheads.None);
        var prompt = BatchShape.Of(4096, 0, isDecode: false);
        Assert.Equal(full.Cost(prompt).AttentionComputeSeconds, chunked.Cost(prompt).AttentionComputeSeconds, 12);
        // 32K keys: three layers in four see half a chunk (4,096 keys), the fourth all 32K.
        var longDecode = Decodes(16, 32_000);
        var expected = 0.25 + 0.75 * 4096.0 / 32_001;
        Assert.Equal(expected, chunked.Cost(longDecode).KvSeconds / full.Cost(longDecode).KvSeconds, 3);
    }

    [Fact]
    public void The_kv_pool_leaves_out_short_window_layers_but_keeps_long_chunks()
    {
        var gptOss = MemoryModel.Plan(Spec(ModelCatalog.GptOss120B));
        Assert.Equal(MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.GptOss120B)) / 2, gptOss.KvBytesPerToken);
        var scout = Spec(ModelCatalog.Llama4Scout, 2);
        Assert.Equal(MemoryModel.KvBytesPerTokenPerGpu(scout), MemoryModel.Plan(scout).KvBytesPerToken);
    }

    [Fact]
    public void Maverick_under_tensorrt_llm_holds_every_layers_kv_whole_and_reads_only_the_chunk()
    {
        // TensorRT-LLM passes attention_chunk_size to its attention kernels only; the KV manager keeps the chunked
        // layers' blocks, so a token costs all 48 layers' KV: one FP8 KV head of 128 per rank at TP8, K and V.
        var maverick = Spec(ModelCatalog.Llama4Maverick, 8);
        Assert.Equal(2.0 * 128 * 48, MemoryModel.Plan(maverick).KvBytesPerToken);
        // A 21,000-token decode reads the 12 global layers whole and half a chunk of the 36 chunked ones.
        var chunked = new StepTimeModel(maverick, EngineOverheads.None);
        var full = new StepTimeModel(Spec(ModelCatalog.Llama4Maverick with { Window = null }, 8), EngineOverheads.None);
        var decode = Decodes(32, 21_000);
        Assert.Equal(0.25 + 0.75 * 4096.0 / 21_001, chunked.Cost(decode).KvSeconds / full.Cost(decode).KvSeconds, 3);
    }

    [Fact]
    public void Without_chunked_attention_kernels_maverick_attends_over_whole_contexts_in_every_layer()
    {
        // TensorRT-LLM before 0.21 had no chunked-attention kernels: its chunked layers read and attend to every key.
        var kernels = Spec(ModelCatalog.Llama4Maverick, 8);
        var noKernels = kernels with { ChunkedAttention = false };
        var full = new StepTimeModel(Spec(ModelCatalog.Llama4Maverick with { Window = null }, 8), EngineOverheads.None);
        var without = new StepTimeModel(noKernels, EngineOverheads.None);
        var with = new StepTimeModel(kernels, EngineOverheads.None);
        var decode = Decodes(32, 21_000);
        Assert.Equal(full.Cost(decode).KvSeconds, without.Cost(decode).KvSeconds, 12);
        Assert.Equal(full.Cost(decode).AttentionComputeSeconds, without.Cost(decode).AttentionComputeSeconds, 12);
        Assert.True(without.Cost(decode).KvSeconds > 2 * with.Cost(decode).KvSeconds);
        // Within one chunk nothing differs, and the pool is the same (the chunked layers' blocks are kept either way).
        var shortDecode = Decodes(32, 3_000);
        Assert.Equal(with.Cost(shortDecode).TotalSeconds, without.Cost(shortDecode).TotalSeconds, 12);
        Assert.Equal(MemoryModel.Plan(kernels).KvBytesPerToken, MemoryModel.Plan(noKernels).KvBytesPerToken);
    }

    [Fact]
    public void Chunked_attention_off_is_refused_for_a_model_without_chunked_layers()
    {
        var gptOss = Spec(ModelCatalog.GptOss120B) with { ChunkedAttention = false };
        var error = Assert.Throws<InputException>(() => gptOss.Validate());
        Assert.Contains("--chunked-attention", error.Message);
        Assert.Contains("Leave it out", error.Message);
    }
}
