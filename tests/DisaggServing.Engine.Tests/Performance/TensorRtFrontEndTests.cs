using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// A streaming TensorRT engine's front end (NIM's optimized profiles) sends every running request's token on one thread
// beside the engine: a step lasts at least its tokens' time there, so a replica streams at most so many tokens a second.
public class TensorRtFrontEndTests
{
    private static readonly EngineSpec Llama8bNim = new()
    {
        Model = ModelCatalog.Get("meta-llama/Meta-Llama-3-8B-Instruct"), Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8,
        Engine = EngineProfiles.Trtllm, TensorRtEngine = true, Nim = true, MaxNumSeqs = 256, MaxNumBatchedTokens = 8192,
    };

    private static double Step(EngineSpec spec, int decodes, EngineOverheads? overheads = null) =>
        new StepTimeModel(spec, overheads).StepSeconds(BatchShape.Decodes(decodes, decodes * 300L));

    [Fact]
    public void A_large_streamed_batch_of_a_small_model_lasts_its_tokens_time_in_the_front_end()
    {
        var perToken = EngineProfiles.Trtllm.TensorRtEngineFrontEndTokenSeconds;
        var offline = Step(Llama8bNim with { StreamsTokens = false }, 250);
        // 250 tokens a step take the front end longer than the GPUs take the step: its time sets the pace.
        Assert.True(offline < 0.9 * 250 * perToken, $"{offline * 1e3:F2} ms");
        Assert.InRange(Step(Llama8bNim, 250), 250 * perToken, 1.05 * 250 * perToken);
        // At most 1/perToken tokens a second, whatever the GPUs could do.
        Assert.True(250 / Step(Llama8bNim, 250) <= 1 / perToken);
    }

    [Fact]
    public void Few_streams_an_offline_run_the_pytorch_backend_and_callers_overheads_take_no_front_end_floor()
    {
        // Eight tokens are far under the GPUs' step: streaming adds the executor's responses (TensorRtEngineStreamedSequenceSeconds)
        // and the join under a percent more.
        var offline = Step(Llama8bNim with { StreamsTokens = false }, 8);
        var responses = offline + 8 * EngineProfiles.Trtllm.TensorRtEngineStreamedSequenceSeconds;
        Assert.InRange(Step(Llama8bNim, 8), responses, 1.01 * responses);
        // trtllm-serve's PyTorch backend has its own front end (not this one), and EngineOverheads.None is the GPU alone.
        var perToken = EngineProfiles.Trtllm.TensorRtEngineFrontEndTokenSeconds;
        Assert.True(Step(Llama8bNim with { TensorRtEngine = false, Nim = false }, 250) < 0.9 * 250 * perToken);
        Assert.True(Step(Llama8bNim, 250, EngineOverheads.None) < 0.9 * 250 * perToken);
    }
}
