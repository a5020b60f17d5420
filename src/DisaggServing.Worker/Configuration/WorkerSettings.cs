using DisaggServing.Protocol.Validation;
using System.Globalization;
using System.Text.RegularExpressions;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.Worker.Configuration;

/// <summary>
/// The validated worker: engine spec, memory plan, scheduler settings and the P/D knobs, derived once from
/// <see cref="WorkerOptions"/>. <see cref="Resolve"/> throws a <see cref="WorkerConfigurationException"/> naming
/// the offending <c>Worker:*</c> setting.
/// </summary>
public sealed partial record WorkerSettings
{
    public const string DefaultModel = "meta-llama/Llama-3.3-70B-Instruct";
    public const string DefaultGpu = "h100-sxm";
    public const int DefaultMaxModelLen = 32768;
    public const double DefaultKvPayloadScale = 1.0 / 2048;
    public const string DefaultNode = "node-0";

    public required string EngineId { get; init; }
    public required WorkerRole Role { get; init; }
    public required EngineSpec Spec { get; init; }
    public required MemoryPlan Plan { get; init; }
    public required SchedulerConfig Scheduler { get; init; }
    public required int MaxModelLen { get; init; }
    public required string Node { get; init; }
    public required IReadOnlyList<int> GpuIndices { get; init; }
    public required double KvPayloadScale { get; init; }
    public required double SpeedFactor { get; init; }
    public required bool InstantEngine { get; init; }
    public required KvLoadFailurePolicy KvLoadFailurePolicy { get; init; }
    public required string AdvertisedHost { get; init; }
    public int? HttpPort { get; init; }
    public int? KvPort { get; init; }
    public Uri? KvTransferUrl { get; init; }

    /// <summary>KV blocks move over the raw-TCP data channel on KvPort (served beside gRPC, tried first when pulling).</summary>
    public bool KvDataChannel { get; init; } = true;

    public string ModelId => Spec.Model.Id;

    /// <summary>What the shared request validator checks against: this engine's context, vocabulary and model id.</summary>
    public ValidationLimits ValidationLimits => new()
    {
        MaxModelLen = MaxModelLen,
        VocabSize = Spec.Model.Vocab,
        IsServed = model => string.Equals(model, ModelId, StringComparison.OrdinalIgnoreCase),
    };
    public int BlockSize => Scheduler.BlockSize;
    public int Tp => Spec.TensorParallel;
    public TimeSpan LeaseDuration => Scheduler.LeaseDuration;

    /// <summary>Worker:DrainSeconds: how long a draining worker waits for its requests and leases (wall clock).</summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>KV bytes of one full block across the whole replica (all layers, all KV heads): what NIXL would move.</summary>
    public long RealBytesPerBlock => (long)Math.Round(Spec.Model.KvBytesPerToken(Spec.EffectiveKvDtype) * BlockSize);

    /// <summary>Bytes actually materialized and moved per block: the real size scaled, never below 1.</summary>
    public int PayloadBytesPerBlock => (int)Math.Clamp(Math.Round(RealBytesPerBlock * KvPayloadScale), 1, int.MaxValue);

    public string RoleName => Role.ToString().ToLowerInvariant();

    /// <summary>
    /// Validates <paramref name="o"/> and derives the engine. In a LeaderWorkerSet <paramref name="group"/>, every rank
    /// holds its share of the replica's GPUs, so Worker:GpuIndices names TP×PP / group-size of them.
    /// </summary>
    public static WorkerSettings Resolve(WorkerOptions o, GroupSettings? group = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        try
        {
            return ResolveCore(o, group?.Size ?? 1);
        }
        catch (InputException e)
        {
            var message = ToSettingNames(e.Message);
            if (message.Contains("does not fit", StringComparison.Ordinal))
                message += " (settings: Worker:Model, Worker:Gpu, Worker:Dtype, Worker:Tp, Worker:Pp, Worker:GpuMemoryUtilization)";
            throw new WorkerConfigurationException("Invalid worker configuration: " + message, e);
        }
    }

    private static WorkerSettings ResolveCore(WorkerOptions o, int groupSize)
    {
        var role = ParseRole(o.Role);
        var model = ModelCatalog.Get(o.Model ?? DefaultModel, "Worker:Model");
        var gpu = GpuCatalog.Get(o.Gpu ?? DefaultGpu, "Worker:Gpu");
        DType? requested = DTypes.ParseOrAuto(o.Dtype, "Worker:Dtype");
        // Unset: FP8 for a BF16 checkpoint (quantized on load), a quantized checkpoint's own format; a conflicting one is an error.
        var dtype = DTypes.ForCheckpoint(model, requested ?? (model.CheckpointDtype is null ? DType.Fp8 : null), "Worker:Dtype", "Worker:Model");
        if (dtype == DType.Fp8 && gpu.Fp8Flops is null)
            throw new InputException(model.CheckpointDtype is null
                ? $"Worker:Dtype fp8 needs FP8 tensor cores, which {gpu.Id} lacks; use bf16."
                : $"Worker:Model {model.Id} ships FP8 weights, which need FP8 tensor cores; {gpu.Id} lacks them: use a Worker:Gpu with FP8, or a BF16 checkpoint with Worker:Dtype bf16.");
        DType? kvDtype = DTypes.ParseOrAuto(o.KvCacheDtype, "Worker:KvCacheDtype");
        var engine = EngineOf(o);
        var pp = o.Pp ?? 1;
        var speculative = string.IsNullOrWhiteSpace(o.SpeculativeMethod) ? null
            : new SpeculativeDecoding(SpeculativeDecoding.Parse(o.SpeculativeMethod), o.NumSpeculativeTokens ?? 1, o.AcceptanceLength ?? 1);
        var spec = new EngineSpec
        {
            Engine = engine,
            EnableChunkedPrefill = engine.ChunkedPrefill,
            Model = model,
            Gpu = gpu,
            TensorParallel = o.Tp ?? 1,
            PipelineParallel = pp,
            WeightDtype = dtype,
            KvCacheDtype = kvDtype,
            GpuMemoryUtilization = o.GpuMemoryUtilization,
            MaxNumSeqs = o.MaxNumSeqs ?? engine.ReplicaMaxNumSeqs(gpu, 1, speculative is not null),
            MaxNumBatchedTokens = o.MaxNumBatchedTokens ?? engine.DefaultMaxNumBatchedTokens(gpu),
            CudaGraphMaxBatch = o.CudaGraphMaxBatch,
            BlockSize = KvBlockHasher.DefaultBlockSize,
            Speculative = speculative,
        };
        if (!string.IsNullOrWhiteSpace(o.EngineVersion))
            spec = spec.AsReleased(EngineRelease.Parse(o.EngineVersion, "Worker:EngineVersion"));
        if (!string.IsNullOrWhiteSpace(o.Profile))
            spec = ProfileFile.Apply(spec, o.Profile.Trim());
        if (o.Tp is null && pp >= 1)
        {
            // Unset TP: the smallest that fits at this PP, as a platform engineer would pick.
            var fitting = MemoryModel.FittingLayouts(spec).Where(l => l.Pp == pp).OrderBy(l => l.Tp).ToList();
            if (fitting.Count > 0)
                spec = spec with { TensorParallel = fitting[0].Tp };
        }
        spec.Validate();
        var plan = MemoryModel.RequireFit(spec);
        if (spec.MaxNumBatchedTokens < spec.MaxNumSeqs)
            throw new InputException($"Worker:MaxNumBatchedTokens ({spec.MaxNumBatchedTokens}) must be at least Worker:MaxNumSeqs ({spec.MaxNumSeqs}).");

        var numBlocks = (int)Math.Min(plan.KvBlocks, int.MaxValue);
        var maxModelLen = o.MaxModelLen ?? Math.Min(model.MaxContext, DefaultMaxModelLen);
        if (maxModelLen < 2)
            throw new InputException($"Worker:MaxModelLen must be at least 2; got {maxModelLen}.");
        if (maxModelLen > model.MaxContext)
            throw new InputException($"Worker:MaxModelLen {maxModelLen} exceeds the {model.MaxContext}-token context of {model.Id}.");
        if ((long)numBlocks * spec.BlockSize < maxModelLen)
            throw new InputException(
                $"Worker:MaxModelLen {maxModelLen} is larger than the {(long)numBlocks * spec.BlockSize} tokens the KV cache holds; " +
                "lower Worker:MaxModelLen or raise Worker:GpuMemoryUtilization or Worker:Tp.");

        var lease = o.LeaseSeconds ?? 30;
        if (!(lease > 0) || double.IsInfinity(lease))
            throw new InputException($"Worker:LeaseSeconds must be a positive number; got {lease.ToString(CultureInfo.InvariantCulture)}.");
        var drain = o.DrainSeconds ?? 30;
        if (!(drain >= 0) || double.IsInfinity(drain))
            throw new InputException($"Worker:DrainSeconds must be zero or a positive number of seconds; got {drain.ToString(CultureInfo.InvariantCulture)}.");
        var scale = o.KvPayloadScale ?? DefaultKvPayloadScale;
        if (!(scale > 0) || scale > 1)
            throw new InputException($"Worker:KvPayloadScale must be in (0, 1]; got {scale.ToString(CultureInfo.InvariantCulture)}.");
        var speed = o.SpeedFactor ?? 1;
        if (!(speed > 0) || double.IsInfinity(speed))
            throw new InputException($"Worker:SpeedFactor must be a positive number (1 = real time); got {speed.ToString(CultureInfo.InvariantCulture)}.");

        var scheduler = new SchedulerConfig
        {
            BlockSize = spec.BlockSize,
            NumGpuBlocks = numBlocks,
            MaxNumSeqs = MemoryModel.RunningSeqsLimit(spec, plan),
            MaxNumBatchedTokens = spec.MaxNumBatchedTokens,
            EnableChunkedPrefill = spec.EnableChunkedPrefill,
            MaxPrefillChunkTokens = spec.MaxPrefillChunkTokens,
            PromptRanks = spec.PromptRanks,
            MixPrefillWithDecode = spec.EffectiveMixedPrefillDecode,
            ContextHoldRanks = spec.ContextHoldRanks,
            ContextHoldTimeoutSteps = spec.AttentionDpBalanceSteps,
            AdmissionPolicy = engine.Admission,
            // A hybrid model's requests hold their recurrent state beside their KV, as the simulator runs them.
            StateBlocksPerRequest = MemoryModel.StateBlocksPerSequence(spec, plan),
            EnablePrefixCaching = spec.PrefixCachesPrompts,
            SpeculativeTokens = spec.Speculative?.DraftTokens ?? 0,
            AcceptanceLength = spec.Speculative?.AcceptanceLength ?? 1,
            // The scheduler runs on simulated time, but a lease waits on real hand-off work (HTTP, gRPC), so
            // LeaseSeconds are wall-clock seconds: SpeedFactor simulated seconds pass per wall second.
            LeaseDuration = TimeSpan.FromSeconds(lease * speed),
        };
        var engineId = string.IsNullOrWhiteSpace(o.EngineId)
            ? $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}"
            : o.EngineId.Trim();
        return new WorkerSettings
        {
            EngineId = engineId,
            Role = role,
            Spec = spec,
            Plan = plan,
            Scheduler = scheduler,
            MaxModelLen = maxModelLen,
            Node = string.IsNullOrWhiteSpace(o.Node) ? DefaultNode : o.Node.Trim(),
            GpuIndices = ParseGpuIndices(o.GpuIndices, GpusPerRank(spec.GpusPerReplica, groupSize)),
            KvPayloadScale = scale,
            SpeedFactor = speed,
            InstantEngine = o.InstantEngine ?? false,
            KvLoadFailurePolicy = ParsePolicy(o.KvLoadFailurePolicy),
            AdvertisedHost = string.IsNullOrWhiteSpace(o.AdvertisedHost) ? "127.0.0.1" : o.AdvertisedHost.Trim(),
            HttpPort = Port(o.HttpPort, "Worker:HttpPort"),
            KvPort = Port(o.KvPort, "Worker:KvPort"),
            KvTransferUrl = ParseUrl(o.KvTransferUrl),
            KvDataChannel = o.KvDataChannel ?? true,
            DrainGrace = TimeSpan.FromSeconds(drain),
        };
    }

    /// <summary>
    /// The engine modelled: the profile file's when Worker:Profile is set (its constants were fitted on it), else
    /// Worker:Engine, else vLLM. Worker:Engine is checked either way, so a typo never passes silently.
    /// </summary>
    private static EngineProfile EngineOf(WorkerOptions o)
    {
        var named = EngineProfiles.Parse(string.IsNullOrWhiteSpace(o.Engine) ? "vllm" : o.Engine, "Worker:Engine");
        if (string.IsNullOrWhiteSpace(o.Profile))
            return EngineProfiles.For(named);
        var path = o.Profile.Trim();
        return EngineProfiles.For(EngineProfiles.Parse(ProfileFile.Load(path).Engine, $"{path}: engine"));
    }

    private static WorkerRole ParseRole(string? value) => (value ?? "both").Trim().ToLowerInvariant() switch
    {
        "prefill" => WorkerRole.Prefill,
        "decode" => WorkerRole.Decode,
        "both" or "" => WorkerRole.Both,
        _ => throw new InputException($"Worker:Role '{value}' is not known; use prefill, decode or both."),
    };

    private static KvLoadFailurePolicy ParsePolicy(string? value) => (value ?? "recompute").Trim().ToLowerInvariant() switch
    {
        "recompute" or "" => KvLoadFailurePolicy.Recompute,
        "fail" => KvLoadFailurePolicy.Fail,
        _ => throw new InputException($"Worker:KvLoadFailurePolicy '{value}' is not known; use recompute or fail."),
    };

    private static int GpusPerRank(int gpus, int groupSize) => gpus % groupSize == 0
        ? gpus / groupSize
        : throw new InputException($"LWS_GROUP_SIZE {groupSize} does not divide the replica's {gpus} GPUs (Worker:Tp × Worker:Pp); a group has one pod per pipeline stage.");

    private static int[] ParseGpuIndices(string? value, int gpus)
    {
        if (string.IsNullOrWhiteSpace(value))
            return [.. Enumerable.Range(0, gpus)];
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var indices = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out indices[i]))
                throw new InputException($"Worker:GpuIndices '{value}' is not a comma-separated list of GPU indices (e.g. \"0,1\").");
        if (indices.Length != gpus)
            throw new InputException($"Worker:GpuIndices '{value}' names {indices.Length} GPUs but this engine (TP×PP, per group rank) needs {gpus}.");
        if (indices.Distinct().Count() != indices.Length)
            throw new InputException($"Worker:GpuIndices '{value}' repeats a GPU.");
        return indices;
    }

    private static int? Port(int? port, string field) => port is null or (>= 0 and <= 65535)
        ? port
        : throw new InputException($"{field} must be a TCP port (0-65535, 0 = any free port); got {port}.");

    private static Uri? ParseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InputException($"Worker:KvTransferUrl '{value}' is not an http(s) URL (e.g. http://127.0.0.1:5100).");
        return uri;
    }

    // The Engine words its errors for the CLI (--tp); a worker is configured through Worker:* keys.
    private static string ToSettingNames(string message) => CliOption().Replace(message, m => m.Groups[1].Value switch
    {
        "tp" => "Worker:Tp",
        "pp" => "Worker:Pp",
        "max-num-seqs" => "Worker:MaxNumSeqs",
        "max-num-batched-tokens" => "Worker:MaxNumBatchedTokens",
        "cuda-graph-max" => "Worker:CudaGraphMaxBatch",
        "gpu-memory-utilization" => "Worker:GpuMemoryUtilization",
        "model" => "Worker:Model",
        "gpu" => "Worker:Gpu",
        "engine" => "Worker:Engine",
        "speculative-method" => "Worker:SpeculativeMethod",
        "num-speculative-tokens" => "Worker:NumSpeculativeTokens",
        "acceptance-length" => "Worker:AcceptanceLength",
        _ => m.Value,
    });

    [GeneratedRegex(@"--([a-z][a-z-]*)")]
    private static partial Regex CliOption();
}
