using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Where an engine pod's weights come from (<see cref="ModelCacheSettings"/>): the model-cache volume, the
/// <c>vllm serve</c> arguments a source needs, and a startup probe sized from the checkpoint's bytes.
/// </summary>
internal static class ModelLoading
{
    /// <summary>Name of the model-cache volume (the seed's).</summary>
    public const string VolumeName = "model-cache";

    /// <summary>Period of the startup probe, seconds.</summary>
    public const int StartupPeriodSeconds = 10;

    /// <summary>The least time a start is allowed, minutes (small models still compile and capture CUDA graphs).</summary>
    public const int MinimumStartupMinutes = 10;

    /// <summary>
    /// Bytes of the checkpoint a start reads: the model card's parameters at 1 byte for an FP8 checkpoint (its id says
    /// so), else 2 (BF16; also what an online-quantized FP8 pool downloads).
    /// </summary>
    public static double CheckpointBytes(ResolvedPool resolved) =>
        resolved.Model.PublishedParams * (resolved.Pool.Model.Contains("fp8", StringComparison.OrdinalIgnoreCase) ? 1 : 2);

    /// <summary>Minutes a start may take: the checkpoint at the assumed throughput, plus warm-up.</summary>
    public static int StartupMinutes(ManifestContext context, TopologyPool pool)
    {
        var cache = context.Spec.Engine.ModelCache;
        var seconds = CheckpointBytes(ResolvedPool.Resolve(pool)) / (cache.EffectiveLoadMegabytesPerSecond * 1e6);
        return Math.Max(MinimumStartupMinutes, (int)Math.Ceiling(seconds / 60) + Math.Max(0, cache.WarmupMinutes));
    }

    /// <summary>The startup probe's failure threshold (periods of <see cref="StartupPeriodSeconds"/>).</summary>
    public static int StartupFailureThreshold(ManifestContext context, TopologyPool pool) => StartupMinutes(context, pool) * 60 / StartupPeriodSeconds;

    /// <summary>The model argument of <c>vllm serve</c>: the Hugging Face id, or its S3 location for the Run:ai streamer.</summary>
    public static string ModelArgument(ManifestContext context, TopologyPool pool)
    {
        var cache = context.Spec.Engine.ModelCache;
        return cache.Kind == ModelCacheKind.S3 ? $"{cache.S3Uri.TrimEnd('/')}/{pool.Model}" : pool.Model;
    }

    /// <summary>Arguments the source needs: for S3, the streamer and the Hugging Face id as served name (clients and the router use it).</summary>
    public static IEnumerable<string> Arguments(ManifestContext context, TopologyPool pool)
    {
        if (context.Spec.Engine.ModelCache.Kind != ModelCacheKind.S3) yield break;
        yield return "--load-format=runai_streamer";
        yield return $"--served-model-name={pool.Model}";
    }

    /// <summary>The model-cache volume: the pool's <c>emptyDir</c>, the claim, or a scratch <c>emptyDir</c> beside S3.</summary>
    public static V1Volume Volume(ManifestContext context, TopologyPool pool)
    {
        var cache = context.Spec.Engine.ModelCache;
        return cache.Kind == ModelCacheKind.PersistentVolumeClaim
            ? new V1Volume { Name = VolumeName, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = cache.ClaimName } }
            : new V1Volume { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(EmptyDirSize(context, pool)) } };
    }

    /// <summary>The <c>ephemeral-storage</c> the pod requests for its <c>emptyDir</c> (its size limit), or null for a claim.</summary>
    public static ResourceQuantity? EphemeralStorage(ManifestContext context, TopologyPool pool) =>
        context.Spec.Engine.ModelCache.Kind == ModelCacheKind.PersistentVolumeClaim ? null : new ResourceQuantity(EmptyDirSize(context, pool));

    private static string EmptyDirSize(ManifestContext context, TopologyPool pool) =>
        context.Spec.Engine.ModelCache.Kind == ModelCacheKind.S3 ? context.Spec.Engine.ModelCache.ScratchSize : pool.ModelCacheSize;
}
