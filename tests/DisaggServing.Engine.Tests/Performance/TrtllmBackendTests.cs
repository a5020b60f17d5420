using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class TrtllmBackendTests
{
    // Offline steps: what a TensorRT engine pays for streaming is a test of its own.
    private static StepTimeModel Model(bool tensorRtEngine) => new(new EngineSpec
    {
        Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.B200, TensorParallel = 1, WeightDtype = DType.Fp8,
        Engine = EngineProfiles.Trtllm, TensorRtEngine = tensorRtEngine, StreamsTokens = false,
    });

    private static BatchShape Prompt(int tokens)
    {
        var shape = new BatchShape();
        shape.Add(tokens, 0, isDecode: false);
        return shape;
    }

    private static BatchShape Decodes(int sequences, int context = 1000)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void The_pytorch_backend_launches_a_prompt_steps_kernels_from_python_at_the_profiles_cost_per_kernel()
    {
        var cost = Model(tensorRtEngine: false).Cost(Prompt(256));
        var m = ModelCatalog.Llama31_8B;
        var expected = m.Layers * LayerKernels.PerLayer(m, DType.Fp8, 1) * EngineProfiles.Trtllm.EagerKernelSeconds;
        Assert.True(EngineProfiles.Trtllm.EagerKernelSeconds > 0);
        Assert.Equal(expected, cost.HostLaunchSeconds, 12);
    }

    [Fact]
    public void Tensorrt_engines_launch_from_cpp_so_a_short_prompt_runs_at_the_gpus_pace()
    {
        var engine = Model(tensorRtEngine: true).Cost(Prompt(256));
        var pytorch = Model(tensorRtEngine: false).Cost(Prompt(256));
        Assert.Equal(0, engine.HostLaunchSeconds);
        // On a B200 a 256-token prompt of an 8B model takes less GPU time than Python needs to launch it.
        Assert.True(pytorch.TotalSeconds > engine.TotalSeconds, $"PyTorch backend {pytorch.TotalSeconds} s ≤ TensorRT engine {engine.TotalSeconds} s");
    }

    [Fact]
    public void Generation_only_steps_replay_cuda_graphs_in_either_backend_and_only_the_pytorch_ones_overlap_the_hosts_step()
    {
        Assert.Equal(0, Model(tensorRtEngine: false).Cost(Decodes(64)).HostLaunchSeconds);
        // The PyTorch backend's overlap scheduler (0.20 on) hides what a TensorRT engine's synchronous executor pays a step.
        var sync = EngineProfiles.Trtllm.SyncSchedulingStepSeconds;
        Assert.Equal(Model(tensorRtEngine: true).StepSeconds(Decodes(64)) - sync, Model(tensorRtEngine: false).StepSeconds(Decodes(64)), 12);
        var noOverlap = new StepTimeModel(new EngineSpec
        {
            Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.B200, TensorParallel = 1, WeightDtype = DType.Fp8,
            Engine = EngineProfiles.Trtllm, StreamsTokens = false, SynchronousScheduling = true,
        });
        Assert.Equal(Model(tensorRtEngine: true).StepSeconds(Decodes(64)), noOverlap.StepSeconds(Decodes(64)), 12);
        // A release before 0.20 ran its PyTorch backend without it.
        var old = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.B200, Engine = EngineProfiles.Trtllm }.AsReleased(new EngineRelease(0, 19, 0));
        Assert.True(old.SynchronousScheduling);
        Assert.False(new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.B200, Engine = EngineProfiles.Trtllm }.AsReleased(new EngineRelease(0, 20, 0)).SynchronousScheduling);
    }

    [Fact]
    public void Without_multi_block_mode_one_sequences_decode_walks_its_context_serially_in_every_layer()
    {
        var spec = new EngineSpec
        {
            Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Trtllm, TensorRtEngine = true,
        };
        double Step(EngineSpec s, int context) => new StepTimeModel(s, EngineOverheads.None).StepSeconds(BatchShape.Of(1, context, true));
        var unsplit = spec with { UnsplitDecodeAttention = true };
        // 7,000 tokens more context: the walk adds about layers × 7,000 × the GPU's cost per token; the split kernel only
        // reads 7,000 tokens' more KV, a fraction of that.
        var walk = ModelCatalog.Llama31_8B.Layers * 7000 * GpuCatalog.H100Sxm.UnsplitDecodeTokenSeconds;
        Assert.InRange(Step(unsplit, 7500) - Step(unsplit, 500), 0.8 * walk, 1.05 * walk);
        Assert.True(Step(spec, 7500) - Step(spec, 500) < 0.5 * walk);
        // A short context's walk is a sliver of a step that reads the weights: within 1%.
        Assert.InRange(Step(unsplit, 100) / Step(spec, 100), 1, 1.01);
        Assert.Contains("--multi-block-mode", Assert.Throws<InputException>(() => (unsplit with { Engine = EngineProfiles.Vllm, TensorRtEngine = false }).Validate()).Message);
    }

    [Fact]
    public void Without_multi_block_mode_a_batch_with_more_walks_than_the_gpu_runs_at_once_walks_in_turns()
    {
        // Llama 3.1 8B has 8 KV heads, one XQA block each per sequence: four sequences fill an H100's 32 walking blocks.
        var spec = new EngineSpec
        {
            Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Trtllm, TensorRtEngine = true, UnsplitDecodeAttention = true,
        };
        double Attention(EngineSpec s, int sequences) => new StepTimeModel(s, EngineOverheads.None).Cost(Decodes(sequences, 7000)).AttentionComputeSeconds;
        // Each new token attends to its 7,000 tokens of context and itself.
        var walk = ModelCatalog.Llama31_8B.Layers * 7001 * GpuCatalog.H100Sxm.UnsplitDecodeTokenSeconds;
        Assert.Equal(walk, Attention(spec, 1), 1e-9);
        Assert.Equal(walk, Attention(spec, 4), 1e-9);
        // Forty sequences: 320 blocks, ten turns of the walk, though their KV read is a tenth of that.
        Assert.Equal(10 * walk, Attention(spec, 40), 1e-9);
        Assert.True(Attention(spec with { UnsplitDecodeAttention = false }, 40) < walk);
        // At TP2 each GPU holds 4 KV heads of a sequence: forty sequences take five turns.
        Assert.Equal(5 * walk, Attention(spec with { TensorParallel = 2 }, 40), 1e-9);
    }

    [Fact]
    public void A_tensorrt_engines_all_reduces_run_apart_from_the_norm_and_cost_the_unfused_latency_more()
    {
        // trtllm-build leaves --reduce_fusion off: every TP all-reduce pays what vLLM's unfused one does.
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 4, Engine = EngineProfiles.Trtllm };
        double Comm(EngineSpec s) => new StepTimeModel(s, EngineOverheads.None).Cost(Decodes(8)).TpCommSeconds;
        var allReduces = 2 * ModelCatalog.Llama31_8B.Layers;
        Assert.Equal(EngineProfiles.Vllm.UnfusedAllReduceSeconds, EngineProfiles.Trtllm.TensorRtEngineAllReduceSeconds);
        Assert.Equal(allReduces * EngineProfiles.Trtllm.TensorRtEngineAllReduceSeconds, Comm(spec with { TensorRtEngine = true }) - Comm(spec), 1e-12);
        // One GPU has no all-reduce to pay for.
        Assert.Equal(0, Comm(spec with { TensorParallel = 1, TensorRtEngine = true }));
    }

    [Fact]
    public void A_tensorrt_engine_that_streams_hands_every_running_sequence_a_response_each_step_and_an_offline_one_does_not()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Trtllm, TensorRtEngine = true };
        double Step(EngineSpec s, int sequences) => new StepTimeModel(s).Cost(Decodes(sequences)).OverheadSeconds;
        var perSequence = EngineProfiles.Trtllm.TensorRtEngineStreamedSequenceSeconds;
        Assert.True(perSequence > 0);
        Assert.True(spec.StreamsTokens); // served, as the Worker, simulate and plan run it
        // Sixteen sequences' tokens are far under the step in the front end (TensorRtEngineFrontEndTokenSeconds), whose
        // join then adds under a nanosecond: the difference is the executor's responses.
        Assert.Equal(16 * perSequence, Step(spec, 16) - Step(spec with { StreamsTokens = false }, 16), 9);
        // The PyTorch backend's overlap scheduler answers off the step's path: streaming costs it nothing here.
        Assert.Equal(Step(spec with { TensorRtEngine = false }, 64), Step(spec with { TensorRtEngine = false, StreamsTokens = false }, 64), 12);
    }

    [Fact]
    public void Trtllm_serve_pays_its_servers_first_token_cost_where_trtllm_bench_and_nims_tensorrt_engines_do_not()
    {
        var served = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Trtllm };
        Assert.Equal(EngineProfiles.Vllm.FirstTokenSeconds, EngineProfiles.Trtllm.PyTorchServerFirstTokenSeconds);
        Assert.Equal(EngineProfiles.Trtllm.FirstTokenSeconds + EngineProfiles.Trtllm.PyTorchServerFirstTokenSeconds, served.ServerFirstTokenSeconds);
        Assert.Equal(EngineProfiles.Trtllm.FirstTokenSeconds, (served with { StreamsTokens = false }).ServerFirstTokenSeconds);
        Assert.Equal(EngineProfiles.Trtllm.FirstTokenSeconds, (served with { TensorRtEngine = true, StreamsTokens = false }).ServerFirstTokenSeconds);
        // vLLM's own first-token cost already covers its server.
        Assert.Equal(EngineProfiles.Vllm.FirstTokenSeconds, (served with { Engine = EngineProfiles.Vllm }).ServerFirstTokenSeconds);
        // Every served run tokenizes its prompts, trtllm-serve's and NIM's in front of TensorRT engines alike;
        // trtllm-bench's in-process run does not pay it on a first token.
        Assert.Equal(EngineProfiles.Vllm.PromptTokenSeconds, served.ServerPromptTokenSeconds);
        Assert.Equal(EngineProfiles.Vllm.PromptTokenSeconds, (served with { TensorRtEngine = true }).ServerPromptTokenSeconds);
        Assert.Equal(0, (served with { StreamsTokens = false }).ServerPromptTokenSeconds);
    }

    [Fact]
    public void A_served_tensorrt_engines_first_token_pays_for_every_gpu_of_its_replica()
    {
        var nim = new EngineSpec
        {
            Model = ModelCatalog.Get("meta-llama/Meta-Llama-3-70B-Instruct"), Gpu = GpuCatalog.H100Sxm, TensorParallel = 4,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm, TensorRtEngine = true,
        };
        var perGpu = EngineProfiles.Trtllm.TensorRtEngineRankFirstTokenSeconds;
        Assert.True(perGpu > 0);
        Assert.Equal(EngineProfiles.Trtllm.FirstTokenSeconds + 4 * perGpu, nim.ServerFirstTokenSeconds, 12);
        Assert.Equal(4 * perGpu, (nim with { TensorParallel = 8 }).ServerFirstTokenSeconds - nim.ServerFirstTokenSeconds, 12);
        Assert.Equal(4 * perGpu, (nim with { PipelineParallel = 2 }).ServerFirstTokenSeconds - nim.ServerFirstTokenSeconds, 12);
        // trtllm-bench's in-process TensorRT engine hands no request across a server.
        Assert.Equal(EngineProfiles.Trtllm.FirstTokenSeconds, (nim with { StreamsTokens = false }).ServerFirstTokenSeconds);
    }

    [Fact]
    public void Only_tensorrt_llm_has_tensorrt_engines()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm, TensorRtEngine = true };
        Assert.Contains("--trtllm-backend", Assert.Throws<InputException>(() => spec.Validate()).Message);
    }
}
