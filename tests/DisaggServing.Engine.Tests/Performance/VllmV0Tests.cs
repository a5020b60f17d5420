using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// vLLM's V0 engine (before 0.8): synchronous steps and host time on every running sequence, beside the GPU's step from
// 0.6 (async output processing) and after it before.
public class VllmV0Tests
{
    private static readonly EngineSpec V1Sync = new()
    {
        Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm, MaxNumSeqs = 256, MaxNumBatchedTokens = 2048,
        SynchronousScheduling = true,
    };

    private static readonly EngineSpec V0 = V1Sync with { VllmV0 = true };

    private static BatchShape Decodes(int sequences)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, 600, isDecode: true);
        return shape;
    }

    [Fact]
    public void V0s_host_time_grows_with_the_running_sequences_and_joins_the_gpu_step_instead_of_adding_to_it()
    {
        foreach (var sequences in new[] { 1, 16, 256 })
        {
            var host = new StepTimeModel(V0).Cost(Decodes(sequences)).HostLaunchSeconds;
            Assert.Equal(sequences * EngineProfiles.Vllm.V0SequenceHostSeconds, host, 12);
            var v0 = new StepTimeModel(V0).StepSeconds(Decodes(sequences));
            var v1 = new StepTimeModel(V1Sync).StepSeconds(Decodes(sequences));
            Assert.True(v0 > v1, $"{sequences} sequences: V0 {v0} s ≤ V1 {v1} s");
            // V0 also walks each context serially (A_v0_decode_walks_its_context_serially…): at most that walk on top.
            var walk = ModelCatalog.Llama31_8B.Layers * 600 * GpuCatalog.H100Sxm.UnsplitDecodeTokenSeconds;
            Assert.True(v0 < v1 + host + walk, $"{sequences} sequences: V0 {v0} s is V1's plus all its host time {host} s and walk {walk} s: nothing overlapped");
        }
    }

    [Fact]
    public void Before_0_6_v0s_host_time_follows_the_gpu_step_instead_of_running_beside_it()
    {
        var v053 = V0 with { Release = EngineRelease.Parse("0.5.3", "--engine-version") };
        var v060 = V0 with { Release = EngineRelease.Parse("0.6.0", "--engine-version") };
        Assert.True(v053.SerialOutputProcessing);
        Assert.False(v060.SerialOutputProcessing);
        Assert.False(V0.SerialOutputProcessing); // --vllm-engine v0 without a release: the 0.6-0.7 engine
        Assert.False((V1Sync with { Release = EngineRelease.Parse("0.5.3", "--engine-version") }).SerialOutputProcessing);
        foreach (var sequences in new[] { 1, 16, 256 })
        {
            var serial = new StepTimeModel(v053).Cost(Decodes(sequences));
            var beside = new StepTimeModel(v060).Cost(Decodes(sequences));
            var host = sequences * EngineProfiles.Vllm.V0SequenceHostSeconds;
            Assert.Equal(0, serial.HostLaunchSeconds, 12);
            Assert.Equal(host, beside.HostLaunchSeconds, 12);
            // The whole host time on top of the GPU's step, where beside it only what outlasts the GPU shows.
            var gpu = (beside with { HostLaunchSeconds = 0 }).TotalSeconds;
            Assert.Equal(gpu + host, serial.TotalSeconds, 9);
            Assert.True(serial.TotalSeconds > beside.TotalSeconds, $"{sequences} sequences");
        }
    }

    [Fact]
    public void A_full_256_sequence_decode_on_an_h100_is_bound_by_v0s_host_not_the_gpu()
    {
        var cost = new StepTimeModel(V0).Cost(Decodes(256));
        var gpu = cost with { HostLaunchSeconds = 0 };
        Assert.True(cost.HostLaunchSeconds > gpu.TotalSeconds - gpu.OverheadSeconds, "an 8B model's 256-sequence step should be host-bound on V0");
    }

    [Fact]
    public void A_v0_decode_walks_its_context_serially_as_measured_on_vllm_0_7_2()
    {
        double Step(EngineSpec s, int context) => new StepTimeModel(s).StepSeconds(BatchShape.Of(1, context, true));
        var walk = ModelCatalog.Llama31_8B.Layers * 10000 * GpuCatalog.H100Sxm.UnsplitDecodeTokenSeconds;
        Assert.InRange(Step(V0, 11000) - Step(V0, 1000), 0.8 * walk, 1.05 * walk);
        Assert.True(Step(V1Sync, 11000) - Step(V1Sync, 1000) < 0.5 * walk);
    }

    [Fact]
    public void Only_vllm_has_a_v0_and_v0_never_schedules_asynchronously()
    {
        Assert.Contains("--vllm-engine", Assert.Throws<InputException>(() => (V0 with { Engine = EngineProfiles.Sglang }).Validate()).Message);
        Assert.Contains("--async-scheduling", Assert.Throws<InputException>(() => (V0 with { SynchronousScheduling = false }).Validate()).Message);
    }
}
