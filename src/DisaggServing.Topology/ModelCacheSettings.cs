namespace DisaggServing.Topology;

/// <summary>How engine pods get the model's weights, and how long a start may take (the startup probe).</summary>
public sealed class ModelCacheSettings
{
    /// <summary>Throughput assumed for a start that downloads from the Hugging Face Hub (and for a fresh PVC), MB/s.</summary>
    public const double HubMegabytesPerSecond = 100;

    /// <summary>Throughput assumed for the Run:ai streamer reading S3, MB/s.</summary>
    public const double S3MegabytesPerSecond = 400;

    /// <summary>An <c>emptyDir</c> per pod (default), a PersistentVolumeClaim, or S3 through the Run:ai streamer.</summary>
    public ModelCacheKind Kind { get; set; } = ModelCacheKind.EmptyDir;

    /// <summary>Name of the PersistentVolumeClaim in the topology's namespace (<see cref="ModelCacheKind.PersistentVolumeClaim"/>), e.g. an FSx for Lustre claim.</summary>
    public string ClaimName { get; set; } = "";

    /// <summary>
    /// S3 prefix the models live under (<see cref="ModelCacheKind.S3"/>), e.g. <c>s3://my-bucket/models</c>; a pool's
    /// weights are read from <c>&lt;prefix&gt;/&lt;Hugging Face id&gt;</c>.
    /// </summary>
    public string S3Uri { get; set; } = "";

    /// <summary>Size of the scratch <c>emptyDir</c> (config, tokenizer, compile caches) when the weights come from S3.</summary>
    public string ScratchSize { get; set; } = "50Gi";

    /// <summary>
    /// Download and load throughput the startup probe allows for, MB/s; 0 means a conservative default per kind:
    /// <see cref="HubMegabytesPerSecond"/> from the Hub (EmptyDir, and a PVC on its first start),
    /// <see cref="S3MegabytesPerSecond"/> from S3.
    /// </summary>
    public double LoadMegabytesPerSecond { get; set; }

    /// <summary>Minutes the startup probe allows beyond loading the weights: CUDA graph capture, torch.compile, DeepGEMM warm-up, KV allocation.</summary>
    public int WarmupMinutes { get; set; } = 15;

    /// <summary>The throughput in effect, MB/s.</summary>
    public double EffectiveLoadMegabytesPerSecond => LoadMegabytesPerSecond > 0
        ? LoadMegabytesPerSecond
        : Kind == ModelCacheKind.S3 ? S3MegabytesPerSecond : HubMegabytesPerSecond;
}
