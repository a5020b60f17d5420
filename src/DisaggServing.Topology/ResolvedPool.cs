using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology;

/// <summary>A pool with its catalog entries looked up: the model, instance type and GPU it names, and its engine.</summary>
public sealed class ResolvedPool
{
    private ResolvedPool(TopologyPool pool, ModelSpec model, InstanceTypeSpec instance, GpuSpec gpu, DType weightDtype, DType kvCacheDtype, SpeculativeDecoding? speculative)
    {
        Pool = pool;
        Model = model;
        Instance = instance;
        Gpu = gpu;
        WeightDtype = weightDtype;
        KvCacheDtype = kvCacheDtype;
        Speculative = speculative;
    }

    /// <summary>The pool as configured.</summary>
    public TopologyPool Pool { get; }

    /// <summary>The model's geometry.</summary>
    public ModelSpec Model { get; }

    /// <summary>The node instance type.</summary>
    public InstanceTypeSpec Instance { get; }

    /// <summary>The GPU the pool names (the instance's unless <see cref="TopologyPool.Gpu"/> says otherwise).</summary>
    public GpuSpec Gpu { get; }

    /// <summary>
    /// The weight format: the pool's <see cref="TopologyPool.WeightDtype"/>, or when empty the format the checkpoint
    /// ships in (FP8/FP4 for a quantized one, BF16 otherwise). Every reader (preflight, manifests, Hosting, simulator) uses this.
    /// </summary>
    public DType WeightDtype { get; }

    /// <summary>
    /// The KV-cache format: the pool's <see cref="TopologyPool.KvCacheDtype"/>, else what vLLM's
    /// <c>--kv-cache-dtype auto</c> resolves to (<see cref="EngineProfile.DefaultKvDtype"/> of the vLLM profile): the
    /// format a ModelOpt checkpoint declares (FP8 for NVIDIA's FP8/FP4 exports), otherwise BF16 even for FP8 weights.
    /// </summary>
    public DType KvCacheDtype { get; }

    /// <summary>The pool's speculative decoding (<see cref="TopologyPool.Speculation"/>), or null when off.</summary>
    public SpeculativeDecoding? Speculative { get; }

    /// <summary>
    /// One replica as the performance and memory models see it (not validated), with its KV cache in
    /// <see cref="KvCacheDtype"/>, modelled as vLLM; <see cref="ModelledAs"/> models another engine.
    /// </summary>
    public EngineSpec Engine => new()
    {
        KvCacheDtype = KvCacheDtype,
        Model = Model,
        Gpu = Gpu,
        TensorParallel = Pool.TensorParallel,
        PipelineParallel = Pool.PipelineParallel,
        WeightDtype = WeightDtype,
        GpuMemoryUtilization = Pool.GpuMemoryUtilization,
        MaxNumBatchedTokens = Pool.MaxNumBatchedTokens,
        MaxNumSeqs = Pool.MaxNumSeqs,
        CudaGraphMaxBatch = Pool.MaxCudaGraphCaptureSize > 0 ? Pool.MaxCudaGraphCaptureSize : null,
        Speculative = Speculative,
    };

    /// <summary>
    /// <see cref="Engine"/> modelled as <paramref name="serving"/> (the topology's <see cref="EngineSettings.ServingProfile"/>):
    /// its costs, admission and chunked prefill, as <paramref name="release"/> ran by default (<see cref="EngineSettings.ModelledRelease"/>);
    /// the pool's own batch limits and KV format still win over its defaults.
    /// </summary>
    public EngineSpec ModelledAs(EngineProfile serving, EngineRelease? release = null)
    {
        ArgumentNullException.ThrowIfNull(serving);
        return (Engine with { Engine = serving, EnableChunkedPrefill = serving.ChunkedPrefill }).AsReleased(release);
    }

    /// <summary>
    /// Looks up the pool's catalog entries and resolves its weight format (<see cref="TopologyPool.WeightDtype"/>, or
    /// when empty the format the checkpoint ships in); an <see cref="InputException"/> naming the pool and field when
    /// an entry is unknown or the weight format conflicts with a quantized checkpoint.
    /// </summary>
    public static ResolvedPool Resolve(TopologyPool pool)
    {
        var (model, instance, gpu, requested, kvRequested) = LookUp(pool);
        var where = $"pool '{pool.Name}'";
        // The CLI's rule: a quantized checkpoint runs only in its own format; a BF16 one takes any (quantized on load).
        var dtype = DTypes.ForCheckpoint(model, requested, $"{where} WeightDtype", $"{where} Model");
        // vLLM quantizes a BF16 checkpoint on load to FP8 only; integer formats come as checkpoints of their own.
        if (dtype is DType.Int8 or DType.Int4 && model.CheckpointDtype is null)
            throw new InputException($"{where} WeightDtype {dtype.Name()}: vLLM does not quantize {model.Id} (BF16 weights) to {dtype.Name()} on load; name a {dtype.Name()} checkpoint as its Model (e.g. a Red Hat '-quantized.{(dtype == DType.Int8 ? "w8a8" : "w4a16")}' release), or use fp8.");
        // The pods run vLLM, so an empty KvCacheDtype is vLLM's auto, resolved from the checkpoint as vLLM does.
        var kvDtype = kvRequested ?? EngineProfiles.Vllm.DefaultKvDtype(model, dtype);
        return new ResolvedPool(pool, model, instance, gpu, dtype, kvDtype, (pool.Speculation ?? new PoolSpeculation()).Resolve(model, where));
    }

    /// <summary>Why the pool's catalog look-ups or formats fail, before its weight format is checked against the checkpoint; null when they succeed.</summary>
    internal static string? LookUpError(TopologyPool pool)
    {
        try
        {
            LookUp(pool);
            return null;
        }
        catch (InputException e)
        {
            return e.Message;
        }
    }

    private static (ModelSpec Model, InstanceTypeSpec Instance, GpuSpec Gpu, DType? RequestedDtype, DType? RequestedKvDtype) LookUp(TopologyPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var where = $"pool '{pool.Name}'";
        var model = ModelCatalog.Get(pool.Model, $"{where} Model");
        var instance = InstanceCatalog.Get(pool.InstanceType, $"{where} InstanceType");
        var gpu = string.IsNullOrWhiteSpace(pool.Gpu) ? instance.Gpu : GpuCatalog.Get(pool.Gpu, $"{where} Gpu");
        DType? dtype = DTypes.ParseOrAuto(pool.WeightDtype, $"{where} WeightDtype");
        DType? kvDtype = DTypes.ParseOrAuto(pool.KvCacheDtype, $"{where} KvCacheDtype");
        if (kvDtype is { } kv && !kv.IsKvFormat())
            throw new InputException($"{where} KvCacheDtype {kv.Name()} is a weight format; vLLM's KV cache is fp8 or bf16 (or auto).");
        return (model, instance, gpu, dtype, kvDtype);
    }

    /// <summary>Why the pool's speculative decoding cannot run on its model (<see cref="PoolSpeculation.Resolve"/>); null when it can or is off, or the model is unknown.</summary>
    internal static string? SpeculationError(TopologyPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Speculation is not { Enabled: true } speculation || LookUpError(pool) is not null) return null;
        try
        {
            speculation.Resolve(ModelCatalog.Get(pool.Model), $"pool '{pool.Name}'");
            return null;
        }
        catch (InputException e)
        {
            return e.Message;
        }
    }

    /// <summary>Like <see cref="Resolve"/>, returning null and the message instead of throwing.</summary>
    public static ResolvedPool? TryResolve(TopologyPool pool, out string? error)
    {
        try
        {
            error = null;
            return Resolve(pool);
        }
        catch (InputException e)
        {
            error = e.Message;
            return null;
        }
    }
}
