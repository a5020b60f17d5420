using System.Globalization;
using System.Text;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// The <c>disagg estimate</c> command line that gives exactly <see cref="EstimateOptions"/>: the flags a user would
/// pass, leaving out those at the defaults (the engine's, and its benchmark's: <see cref="BenchmarkDefaults"/>). Options the CLI cannot express are refused, so every
/// calibration figure is reproducible from its printed command.
/// </summary>
public static class EstimateCommandLine
{
    /// <summary>The command for <paramref name="options"/>; <see cref="InvalidOperationException"/> when the CLI cannot express them.</summary>
    public static string Format(EstimateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var e = options.Engine;
        var profile = e.Engine;
        if (e.Constants is not null)
            throw new InvalidOperationException("Fitted constants are passed as --profile FILE; a command line cannot carry them.");
        if (e.BlockSize != 16)
            throw new InvalidOperationException($"Block size {e.BlockSize} has no CLI option (the CLI uses 16).");
        var s = new StringBuilder("disagg estimate");
        void Add(string flag, object? value = null) =>
            s.Append(' ').Append(flag).Append(value is null ? "" : " " + Convert.ToString(value, CultureInfo.InvariantCulture));

        Add("--model", e.Model.Id);
        Add("--gpu", e.Gpu.Id);
        Add("--tp", e.TensorParallel);
        if (e.PipelineParallel != 1) Add("--pp", e.PipelineParallel);
        Add("--engine", e.Nim ? "nim" : profile.Name);
        // A release says its own defaults (ReleaseDefaults; NIM's release those of its engines); only the settings that differ from them are printed.
        if (e.Release is { } release) Add("--engine-version", release);
        var released = e.ReleaseDefaults;
        // A quantized checkpoint implies its format; the flag is printed only where it says something.
        if (e.WeightDtype != (e.Model.CheckpointDtype ?? DType.Bf16)) Add("--dtype", e.WeightDtype.Name());
        if (e.KvCacheDtype is { } kv) Add("--kv-cache-dtype", kv.Name());
        if (e.ExpertParallel != 1) Add("--ep", e.ExpertParallel);
        if (e.AttentionDataParallel) Add("--attention-dp");
        if (e.AttentionDpBalanceSteps > 0) Add("--attention-dp-balance", e.AttentionDpBalanceSteps);
        var offline = options.Concurrency is null && options.RequestRate is null;
        var (meanInput, meanOutput) = offline
            ? BenchmarkDefaults.MeanLengths(options.InputTokens, options.OutputTokens, options.Workload, options.Requests ?? 0, options.Seed)
            : (options.InputTokens, options.OutputTokens);
        var (seqs, tokens, chunked) = BenchmarkDefaults.Limits(e, offline, meanInput, meanOutput);
        if (e.MaxNumSeqs != seqs) Add("--max-num-seqs", e.MaxNumSeqs);
        if (e.MaxNumBatchedTokens != tokens) Add("--max-num-batched-tokens", e.MaxNumBatchedTokens);
        if (e.CudaGraphMaxBatch is { } graphs) Add("--cuda-graph-max", graphs);
        if (e.EnableChunkedPrefill != chunked) Add("--chunked-prefill", e.EnableChunkedPrefill ? "on" : "off");
        if (e.MixedPrefillDecode is { } mixed && mixed != profile.MixedPrefillDecode) Add("--mixed-chunk", mixed ? "on" : "off");
        if (e.MoeBackend != released.MoeBackend) Add("--moe-backend", e.MoeBackend is { } moe ? MoeBackends.Name(moe) : "auto");
        if (e.AllReduceFusion is { } fuse) Add("--allreduce-fusion", fuse ? "on" : "off");
        if (e.Xqa is { } xqa && xqa != released.Xqa) Add("--xqa", xqa ? "on" : "off");
        if (e.TensorRtEngine != released.TensorRtEngine) Add("--trtllm-backend", e.TensorRtEngine ? "tensorrt" : "pytorch");
        if (e.UnsplitDecodeAttention == released.MultiBlockMode) Add("--multi-block-mode", e.UnsplitDecodeAttention ? "off" : "on");
        // V0 schedules synchronously: --vllm-engine v0 says both.
        if (e.VllmV0 != released.VllmV0) Add("--vllm-engine", e.VllmV0 ? "v0" : "v1");
        if (e.SynchronousScheduling != (e.VllmV0 || released.SynchronousScheduling)) Add("--async-scheduling", e.SynchronousScheduling ? "off" : "on");
        if (e.ChunkedAttention != released.ChunkedAttention) Add("--chunked-attention", e.ChunkedAttention ? "on" : "off");
        if (e.GpuMemoryUtilization is { } fraction) Add("--gpu-memory-utilization", fraction);
        if (e.WindowPoolRatio is { } windowPool) Add("--swa-full-tokens-ratio", windowPool);
        if (e.Speculative is { } speculative)
        {
            Add("--speculative-method", SpeculativeDecoding.Name(speculative.Method));
            Add("--num-speculative-tokens", speculative.DraftTokens);
            Add("--acceptance-length", speculative.AcceptanceLength);
        }
        if (options.Workload is { } workload)
        {
            Add("--workload", workload);
        }
        else
        {
            Add("--isl", options.InputTokens);
            Add("--osl", options.OutputTokens);
        }
        if (options.Seed != 0) Add("--seed", options.Seed);
        if (options.RequestRate is { } rate)
        {
            // An open loop measures every request, so --measure is implied.
            Add("--request-rate", double.IsPositiveInfinity(rate) ? "inf" : rate);
            if (options.Burstiness != 1) Add("--burstiness", options.Burstiness);
            if (options.Concurrency is { } cap) Add("--concurrency", cap);
        }
        else if (options.Concurrency is { } c) Add("--concurrency", c);
        else Add("--offline");
        if (options.Requests is { } n) Add("--requests", n);
        if (options.Concurrency is not null && options.RequestRate is null && options.Measure != BenchmarkDefaults.Measure(options.Engine))
            Add("--measure", Estimator.MeasureName(options.Measure));
        if (options.MeasurementIntervalMs is { } interval && options.Measure == MeasureWindow.FromStart) Add("--measurement-interval", interval);
        if (options.WarmPrompts != BenchmarkDefaults.WarmPrompts(profile)) Add("--warm-prompts", options.WarmPrompts);
        if (options.Endpoint == ApiEndpoint.Chat) Add("--endpoint", "chat");
        if (options.Admission != profile.Admission)
            Add("--admission", options.Admission == Scheduling.AdmissionPolicy.ReserveFull ? "reserve-full" : "on-demand");
        return s.ToString();
    }
}
