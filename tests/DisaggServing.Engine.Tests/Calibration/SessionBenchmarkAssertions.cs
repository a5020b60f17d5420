using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

// What every row of a gptSessionBenchmark table (SessionBenchmarkTable) is: a TensorRT-LLM TensorRT engine's static batch,
// the whole batch admitted at once and its prompts prefilled in one unchunked pass, offline; a first-token row one request
// of one output token.
internal static class SessionBenchmarkAssertions
{
    public static void AssertStaticBatches(IEnumerable<CalibrationPoint> rows) => Assert.All(rows, p =>
    {
        var engine = p.Options.Engine;
        Assert.Equal(ServingEngine.Trtllm, engine.Engine.Engine);
        Assert.True(engine.TensorRtEngine);
        Assert.Equal(engine.MaxNumSeqs, p.Options.Requests);
        Assert.Equal(engine.MaxNumSeqs * p.Options.InputTokens, engine.MaxNumBatchedTokens);
        Assert.False(engine.EnableChunkedPrefill);
        Assert.Null(p.Options.Concurrency);
        if (p.Metric == CalibrationMetric.TtftMeanMs) Assert.Equal((1, 1), (p.Options.Requests, p.Options.OutputTokens));
    });
}
