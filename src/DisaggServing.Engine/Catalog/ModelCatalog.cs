namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Models by Hugging Face id, one file per family (ModelCatalog.*.cs). Every figure is the model's config.json
/// (checked against public copies); published parameter counts are from the model cards and are checked against the
/// geometry by tests. Checkpoints that share a geometry (base and instruct, later releases, FP8/FP4 quantizations) are
/// aliases of one spec: <see cref="Get"/> takes either id, case-insensitively.
/// </summary>
public static partial class ModelCatalog
{
    private static readonly Dictionary<string, ModelSpec> Canonical;
    private static readonly Dictionary<string, ModelSpec> ById;
    private static readonly Dictionary<string, ModelSpec> AliasById;

    // A static constructor runs after every field initializer of every part, whatever order the parts are compiled in.
    static ModelCatalog()
    {
        ModelSpec[] models =
        [
            .. LlamaModels, .. NemotronNasModels, .. QwenModels, .. DeepSeekModels, .. MixtralModels, .. Llama4Models, .. GptOssModels,
            .. Llama2Models, .. MistralModels, .. Qwen25Models, .. GlmModels, .. KimiModels, .. GemmaModels, .. PhiModels,
            .. MiniMaxModels, .. MistralLargeModels, .. GeluMlpModels, .. DeepSeekV2Models, .. Gemma2Models, .. GraniteModels,
            .. QwenNextModels, .. NemotronHModels, .. Qwen35Models, .. Gemma4Models, .. DeepSeekV4Models, .. LlamaShapedModels, .. ErnieModels,
        ];
        Canonical = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        ById = new Dictionary<string, ModelSpec>(Canonical, StringComparer.OrdinalIgnoreCase);
        AliasById = new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase);
        ModelAlias[] aliases =
        [
            .. LlamaAliases, .. NemotronNasAliases, .. QwenAliases, .. DeepSeekAliases, .. MixtralAliases, .. Llama4Aliases,
            .. Llama2Aliases, .. MistralAliases, .. Qwen25Aliases, .. GlmAliases, .. KimiAliases, .. GemmaAliases,
            .. PhiAliases, .. MiniMaxAliases, .. MistralLargeAliases, .. GeluMlpAliases, .. DeepSeekV2Aliases, .. Gemma2Aliases,
            .. GraniteAliases, .. QwenNextAliases, .. NemotronHAliases, .. Qwen35Aliases, .. Gemma4Aliases, .. DeepSeekV4Aliases, .. LlamaShapedAliases,
            .. GptOssAliases, .. ErnieAliases,
        ];
        foreach (var alias in aliases)
        {
            var spec = alias.Resolve();
            ById.Add(alias.Id, spec);
            AliasById.Add(alias.Id, spec);
        }
    }

    private static string Org(string id) => id[..Math.Max(0, id.IndexOf('/'))];

    /// <summary>Every catalogued model, by Hugging Face id (aliases left out; see <see cref="Aliases"/>).</summary>
    public static IReadOnlyDictionary<string, ModelSpec> All => Canonical;

    /// <summary>Every alias, by Hugging Face id, each resolved to its spec (<see cref="ModelSpec.AliasOf"/> names the catalogued id).</summary>
    public static IReadOnlyDictionary<string, ModelSpec> Aliases => AliasById;

    /// <summary>
    /// The model with this Hugging Face id or alias (case-insensitive), a quantized re-release of one named by its
    /// quantizer's convention (<see cref="QuantizedReleaseSuffixes"/>), or, for a model the catalog lacks, the one its
    /// config.json describes (a path to the file or its checkpoint directory, <see cref="HfModelConfig"/>); an
    /// <see cref="InputException"/> naming <paramref name="field"/>, the five closest ids (<see cref="ClosestIds"/>) and
    /// <c>disagg models</c>, which lists them all, otherwise.
    /// </summary>
    public static ModelSpec Get(string id, string field = "--model")
    {
        ArgumentNullException.ThrowIfNull(id);
        if (ById.TryGetValue(id.Trim(), out var found)) return found;
        // NIM's names (meta/llama-3.1-8b-instruct, nvcr.io/nim/meta/llama3-70b-instruct:1.0.3): the checkpoint NIM serves.
        if (FromNimName(id.Trim()) is { } served) return ById[served];
        // A name without its organisation (gpt-oss-120b, DeepSeek-R1), as benchmark pages write them, when one id has it.
        var name = id.Trim();
        if (!name.Contains('/'))
        {
            var owners = ById.Keys.Where(k => k[(k.IndexOf('/') + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (owners.Count == 1) return ById[owners[0]];
            // Several checkpoints of that name (Qwen's and NVIDIA's Qwen3-235B-A22B-FP8): the model's own publisher's.
            var publisher = owners.Where(k => Org(k).Equals(Org(ById[k].AliasOf ?? ById[k].Id), StringComparison.OrdinalIgnoreCase)).ToList();
            if (publisher.Count == 1) return ById[publisher[0]];
            // Or copies of one checkpoint under two organisations (neuralmagic's, now RedHatAI's): the same model either way.
            if (owners.Select(k => (ById[k].AliasOf ?? ById[k].Id, ById[k].CheckpointDtype, ById[k].CheckpointKvDtype)).Distinct().Count() == 1)
                return ById[owners.Order(StringComparer.OrdinalIgnoreCase).First()];
            if (owners.Count > 1)
                throw new InputException($"Model '{id}' for {field} names {owners.Count} checkpoints: {string.Join(", ", owners)}. Give the one that ran, with its organisation.");
        }
        // A quantized re-release named by its quantizer's convention (RedHatAI/Qwen3-8B-FP8-dynamic): its model's geometry.
        if (FromQuantizedRelease(name) is { } release) return release;
        // A model the catalog lacks, by its Hugging Face config.json (or the checkpoint directory holding one).
        if (HfModelConfig.IsPath(name)) return HfModelConfig.Load(name, field);
        var closest = ClosestIds.To(id, ById.Keys);
        throw new InputException(
            $"Unknown model '{id}' for {field}. Closest: {string.Join(", ", closest)}. " +
            $"'disagg models' lists all {Canonical.Count} catalogued ids and {AliasById.Count} aliases (base, instruct and " +
            "quantized checkpoints of the same geometry; quantized ones imply their --dtype); a model it lacks is read from " +
            "its Hugging Face config.json: give the file's path, or its checkpoint directory's.");
    }
}
