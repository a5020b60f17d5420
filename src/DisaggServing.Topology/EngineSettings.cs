using DisaggServing.Engine;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology;

/// <summary>Which engine image the pools run, and what every engine pod gets: secrets, EFA runtime, model cache, drain.</summary>
public sealed class EngineSettings
{
    /// <summary>
    /// AWS Deep Learning Containers' vLLM repository (ECR Public). Its EC2/EKS images are <c>vllm/vllm-openai</c> plus
    /// the EFA installer (libfabric with the EFA provider, aws-ofi-nccl) and NIXL's LIBFABRIC backend, tagged
    /// <c>&lt;major.minor&gt;-gpu-py312-ec2</c> per vLLM minor line.
    /// </summary>
    public const string AwsDlcVllmRepository = "public.ecr.aws/deep-learning-containers/vllm";

    /// <summary>The EFA image for the pinned <see cref="VllmVersion"/> v0.18.1: the DLC's 0.18 line (vLLM 0.18.0 at its first release).</summary>
    public const string AwsDlcVllmEfaImage = AwsDlcVllmRepository + ":0.18-gpu-py312-ec2";

    /// <summary>vLLM on GPUs, or our simulated Worker on CPU nodes.</summary>
    public EngineKind Kind { get; set; } = EngineKind.Vllm;

    /// <summary>
    /// The serving engine the pools are modelled as when the topology is simulated (<c>disagg simulate --topology</c>):
    /// <c>vllm</c> (default, what the pods run), <c>sglang</c> or <c>trtllm</c>. <c>disagg plan --engine E --out</c>
    /// writes the engine it planned with; a pool's MaxNumSeqs and MaxNumBatchedTokens still win over that engine's
    /// defaults, since they are what the engines are launched with.
    /// </summary>
    public string ServingEngine { get; set; } = "vllm";

    /// <summary>The profile <see cref="ServingEngine"/> names; an <see cref="InputException"/> naming Topology:Engine:ServingEngine and the fix when it names none.</summary>
    public EngineProfile ServingProfile() => EngineProfiles.For(EngineProfiles.Parse(ServingEngine, "Topology:Engine:ServingEngine"));

    /// <summary>vLLM image repository.</summary>
    public string VllmImage { get; set; } = "vllm/vllm-openai";

    /// <summary>vLLM image tag.</summary>
    public string VllmVersion { get; set; } = "v0.18.1";

    /// <summary>
    /// The release the pools are modelled as when simulated: <see cref="VllmVersion"/>'s, where the pods run vLLM and are
    /// modelled as vLLM, so a topology pinned to an older image simulates that release's defaults
    /// (<see cref="ReleaseDefaults"/>: synchronous scheduling before 0.14, …); null for a tag that names no release
    /// (<c>latest</c>, <c>nightly</c>) or another engine (<paramref name="serving"/>, else <see cref="ServingProfile"/>).
    /// </summary>
    public EngineRelease? ModelledRelease(EngineProfile? serving = null) =>
        Kind == EngineKind.Vllm && (serving ?? ServingProfile()).Engine == Engine.Performance.ServingEngine.Vllm ? EngineRelease.TryParse(VllmVersion) : null;

    /// <summary>
    /// vLLM image, repository and tag, for pools whose pods talk to other nodes (pipeline stages, or KV over EFA): it
    /// must carry libfabric with the EFA provider and aws-ofi-nccl, which <c>vllm/vllm-openai</c> lacks. Empty means
    /// the AWS DLC image of <see cref="VllmVersion"/>'s minor line (<see cref="EffectiveEfaImage"/>).
    /// </summary>
    public string EfaImage { get; set; } = "";

    /// <summary>Worker image, repository and tag (<c>dotnet publish src/DisaggServing.Worker -t:PublishContainer</c> builds it); <see cref="EksSettings.Registry"/> is put in front.</summary>
    public string WorkerImage { get; set; } = "disaggserving/worker:0.1.0";

    /// <summary>HTTP port of engine pods.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>torch.distributed port the LeaderWorkerSet leader listens on for its workers.</summary>
    public int MasterPort { get; set; } = 29500;

    /// <summary>NCCL_DEBUG level of engines that talk across nodes (<c>INFO</c> to see NCCL pick <c>NET/OFI</c> on a first run).</summary>
    public string NcclDebug { get; set; } = "WARN";

    /// <summary>Secret (in the topology's namespace) holding the Hugging Face token engines read as <c>HF_TOKEN</c>; optional at run time; empty for none.</summary>
    public string HfTokenSecret { get; set; } = "hf-token";

    /// <summary>Key of the token in <see cref="HfTokenSecret"/>.</summary>
    public string HfTokenSecretKey { get; set; } = "token";

    /// <summary>
    /// Secret (in the topology's namespace) holding the key vLLM engines require on <c>/v1</c> (<c>VLLM_API_KEY</c>)
    /// and the router sends them (<c>Router__WorkerApiKey</c>); both read it optionally, so without the Secret
    /// engines are open to what the NetworkPolicies let in (the router). Empty: no engine key.
    /// </summary>
    public string ApiKeySecret { get; set; } = "vllm-api-key";

    /// <summary>Key of the API key in <see cref="ApiKeySecret"/>.</summary>
    public string ApiKeySecretKey { get; set; } = "api-key";

    /// <summary>
    /// <c>hugepages-2Mi</c> an EFA pod requests when it has a whole node (AWS: EFA nodes pre-allocate 5,128 pages of
    /// 2 MiB; pods request 5120Mi); a pod with part of the node requests its GPU share. Empty requests none and sets
    /// <c>FI_EFA_USE_HUGE_PAGE=0</c>.
    /// </summary>
    public string EfaHugepages { get; set; } = "5120Mi";

    /// <summary>Where the weights come from, and how long a start may take.</summary>
    public ModelCacheSettings ModelCache { get; set; } = new();

    /// <summary>How an engine pod stops without dropping requests.</summary>
    public DrainSettings Drain { get; set; } = new();

    /// <summary>The image engine pods run when a pool names none and does not need the EFA runtime.</summary>
    public string DefaultImage => Kind == EngineKind.Vllm ? $"{VllmImage}:{VllmVersion}" : WorkerImage;

    /// <summary>
    /// The EFA image in effect: <see cref="EfaImage"/>, else the DLC tag of <see cref="VllmVersion"/>'s minor line
    /// (<c>v0.18.1</c> → <c>…/vllm:0.18-gpu-py312-ec2</c>), else (a version that is not <c>vX.Y…</c>) null.
    /// </summary>
    public string? EffectiveEfaImage
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(EfaImage)) return EfaImage;
            var parts = VllmVersion.TrimStart('v', 'V').Split('.');
            return parts.Length >= 2 && parts[..2].All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
                ? $"{AwsDlcVllmRepository}:{parts[0]}.{parts[1]}-gpu-py312-ec2"
                : null;
        }
    }
}
