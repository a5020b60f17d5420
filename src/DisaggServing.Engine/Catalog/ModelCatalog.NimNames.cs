namespace DisaggServing.Engine.Catalog;

/// <summary>NIM for LLMs' model names, resolved to the Hugging Face checkpoints they serve.</summary>
public static partial class ModelCatalog
{
    // NIM names its models by their NGC container (nvcr.io/nim/ORG/NAME:TAG), and its benchmarking pages and API's
    // "model" field by ORG/NAME: lowercased, and spelled apart from the Hugging Face ids where Meta's org is "meta", Llama 3
    // is "llama3", Mistral's versions drop their dot ("v03", "v01"), Mistral NeMo sits under nv-mistralai and NVIDIA's
    // NAS Nemotrons write their versions with dots. The names
    // that match a Hugging Face id case-insensitively (deepseek-ai/deepseek-r1, qwen/qwen2.5-7b-instruct,
    // openai/gpt-oss-120b, nvidia/llama-3.1-nemotron-70b-instruct) need no entry. Source: NIM for LLMs' model lists
    // (docs.nvidia.com/nim/large-language-models, 1.1-1.8).
    private static readonly Dictionary<string, string> NimNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["meta/llama3-8b-instruct"] = "meta-llama/Meta-Llama-3-8B-Instruct",
        ["meta/llama3-70b-instruct"] = "meta-llama/Meta-Llama-3-70B-Instruct",
        ["meta/llama-3.1-8b-base"] = "meta-llama/Llama-3.1-8B",
        ["meta/llama-3.1-8b-instruct"] = "meta-llama/Llama-3.1-8B-Instruct",
        ["meta/llama-3.1-70b-instruct"] = "meta-llama/Llama-3.1-70B-Instruct",
        ["meta/llama-3.1-405b-instruct"] = "meta-llama/Llama-3.1-405B-Instruct",
        ["meta/llama-3.2-1b-instruct"] = "meta-llama/Llama-3.2-1B-Instruct",
        ["meta/llama-3.2-3b-instruct"] = "meta-llama/Llama-3.2-3B-Instruct",
        ["meta/llama-3.3-70b-instruct"] = "meta-llama/Llama-3.3-70B-Instruct",
        ["meta/llama-4-scout-17b-16e-instruct"] = "meta-llama/Llama-4-Scout-17B-16E-Instruct",
        ["meta/llama-4-maverick-17b-128e-instruct"] = "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
        ["meta/llama-2-7b-chat"] = "meta-llama/Llama-2-7b-chat-hf",
        ["meta/llama-2-13b-chat"] = "meta-llama/Llama-2-13b-chat-hf",
        ["meta/llama-2-70b-chat"] = "meta-llama/Llama-2-70b-chat-hf",
        ["mistralai/mistral-7b-instruct-v03"] = "mistralai/Mistral-7B-Instruct-v0.3",
        ["mistralai/mixtral-8x7b-instruct-v01"] = "mistralai/Mixtral-8x7B-Instruct-v0.1",
        ["mistralai/mixtral-8x22b-instruct-v01"] = "mistralai/Mixtral-8x22B-Instruct-v0.1",
        ["nv-mistralai/mistral-nemo-12b-instruct"] = "mistralai/Mistral-Nemo-Instruct-2407",
        // NVIDIA's NAS models: dots where the Hugging Face ids have underscores.
        ["nvidia/llama-3.3-nemotron-super-49b-v1"] = "nvidia/Llama-3_3-Nemotron-Super-49B-v1",
        ["nvidia/llama-3.3-nemotron-super-49b-v1.5"] = "nvidia/Llama-3_3-Nemotron-Super-49B-v1_5",
        ["nvidia/llama-3.1-nemotron-ultra-253b-v1"] = "nvidia/Llama-3_1-Nemotron-Ultra-253B-v1",
        // Nemotron 3 (build.nvidia.com/nvidia/nemotron-3-nano-30b-a3b and the NIM of the same name): the Hugging Face ids
        // add "NVIDIA-" and the weight format; the name is the BF16 checkpoint's, --dtype picks another.
        ["nvidia/nemotron-3-nano-30b-a3b"] = "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",
        ["nvidia/nemotron-3-super-120b-a12b"] = "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16",
    };

    /// <summary>NIM's model names that differ from the Hugging Face ids they serve, each with the id it resolves to.</summary>
    public static IReadOnlyDictionary<string, string> NimModelNames => NimNames;

    private const string NimRegistry = "nvcr.io/nim/";

    /// <summary>
    /// True when <paramref name="name"/> names a model as NIM alone does: a container reference (<c>nvcr.io/nim/…</c>), or
    /// a NIM name (<c>meta/llama3-8b-instruct</c>, <c>meta-llama3-8b-instruct</c>) that no Hugging Face id reads as, with
    /// or without its organisation. Such a name says the figure or deployment is NIM's (<c>--engine trtllm</c> with it
    /// models NIM's TensorRT-LLM).
    /// </summary>
    public static bool IsNimName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        if (name.StartsWith(NimRegistry, StringComparison.OrdinalIgnoreCase)) return FromNimName(name) is not null;
        if (ById.ContainsKey(name) || FromNimName(name) is null) return false;
        return name.Contains('/') || !ById.Keys.Any(k => k[(k.IndexOf('/') + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    // A NIM name or container reference (with or without nvcr.io/nim/ and a :tag), as the Hugging Face id NIM serves; null otherwise.
    private static string? FromNimName(string name)
    {
        if (name.StartsWith(NimRegistry, StringComparison.OrdinalIgnoreCase))
        {
            name = name[NimRegistry.Length..];
            if (name.LastIndexOf(':') is var tag and > 0) name = name[..tag];
        }
        if (NimNames.TryGetValue(name, out var huggingFace)) return huggingFace;
        if (ById.ContainsKey(name)) return name;
        // Without the org (llama3-70b-instruct), or with it joined by a dash as NIM names a model on disk and the DLI
        // cluster-sizing dataset lists it (meta-llama3-8b-instruct): the one NIM name that reads so.
        if (name.Contains('/')) return null;
        var matches = NimNames.Where(n => n.Key[(n.Key.IndexOf('/') + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase)
            || n.Key.Replace('/', '-').Equals(name, StringComparison.OrdinalIgnoreCase)).Select(n => n.Value).Distinct().ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}
