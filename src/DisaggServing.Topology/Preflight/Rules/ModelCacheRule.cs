namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>The model source names what it needs: a claim for a PersistentVolumeClaim, an <c>s3://</c> prefix for S3.</summary>
internal sealed class ModelCacheRule : PreflightRule
{
    public override string Id => "model-cache";

    public override string Description => "Engine:ModelCache names a claim (PersistentVolumeClaim) or an s3:// prefix (S3).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        if (!context.OnGpus) yield break;
        var cache = context.Spec.Engine.ModelCache;
        if (cache.Kind == ModelCacheKind.PersistentVolumeClaim && string.IsNullOrWhiteSpace(cache.ClaimName))
            yield return Error(null, "Engine:ModelCache:Kind is PersistentVolumeClaim but no ClaimName is given.", "Set Engine:ModelCache:ClaimName to a ReadWriteMany claim in the topology's namespace (e.g. an FSx for Lustre claim).");
        if (cache.Kind == ModelCacheKind.S3 && !cache.S3Uri.StartsWith("s3://", StringComparison.Ordinal))
            yield return Error(null, $"Engine:ModelCache:Kind is S3 but S3Uri '{cache.S3Uri}' is not an s3:// prefix.", "Set Engine:ModelCache:S3Uri to the prefix the models are copied under, e.g. s3://my-bucket/models.");
        if (cache.LoadMegabytesPerSecond < 0)
            yield return Error(null, $"Engine:ModelCache:LoadMegabytesPerSecond is {cache.LoadMegabytesPerSecond}.", "Give a positive throughput, or 0 for the default.");
    }
}
