using System.Text.Json;

namespace DisaggServing.Engine.Catalog;

/// <summary>
/// A model the catalog lacks, read from its Hugging Face <c>config.json</c> (a file, or a checkpoint directory holding
/// one, and ModelOpt's <c>hf_quant_config.json</c> beside it where present): the same geometry a catalogued model gives
/// (<see cref="ModelSpec"/>), its parameter counts computed from that geometry. Dense and MoE decoders with grouped-query
/// or latent (MLA, DSA) attention: Llama, Qwen2/2.5/3, Mistral, Mixtral, Qwen MoE, DeepSeek V2/V3, GLM-4.5, Kimi K2,
/// gpt-oss, Gemma 2/3 (sliding windows from <c>layer_types</c> or the family's pattern), and NAS stacks whose layers drop
/// their attention or MLP or size it their own way (nemotron-nas <c>block_configs</c>: <see cref="NasBlockConfigs"/>).
/// Hybrids whose other layers are Gated DeltaNet linear attention (Qwen3-Next, Qwen3.5: <see cref="LinearAttentionSpec"/>)
/// or Mamba2 mixers (Nemotron-H, model_type <c>nemotron_h</c>: <see cref="NemotronHPattern"/>) are read too. Architectures
/// whose layers are other kinds — Jamba's and Granite's state-space hybrids, Llama 4's chunked and interleaved layers —
/// and plain (non-gated) MLPs outside Nemotron-H are refused with the field that says
/// so, as are integer quantizations the step model has no kernel costs for (8-bit weight-only, 3-bit).
/// </summary>
public static class HfModelConfig
{
    // Layer-kind lists of state-space hybrids other than Nemotron-H (Jamba's, Granite's): their Mamba layers are not modelled.
    private static readonly string[] HybridKeys = ["layers_block_type", "hybrid_override_pattern"];
    // Model types whose RMSNorms scale by one plus the stored weight (ModelSpec.OffsetNorm): Gemma's, Qwen3-Next's and Qwen3.5's.
    private static readonly string[] OffsetNormTypes = ["gemma", "qwen3_next", "qwen3_5"];

    private static readonly string[] PlainMlpTypes = ["gptj", "falcon", "gpt_neox", "gpt2", "gpt_bigcode", "opt", "bloom", "phi", "starcoder2"];

    /// <summary>True when <paramref name="id"/> names a config.json file or a directory holding one.</summary>
    public static bool IsPath(string id) =>
        id.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(Path.Combine(id, "config.json"));

    /// <summary>
    /// The model <paramref name="path"/> describes (a config.json, or a directory with one); its id is the path as given.
    /// An <see cref="InputException"/> naming <paramref name="field"/>, the file and the fix when it cannot be read or modelled.
    /// </summary>
    public static ModelSpec Load(string path, string field = "--model")
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? path : Path.Combine(path, "config.json");
        if (!File.Exists(file))
            throw new InputException($"{field} '{path}': no such file. Give a Hugging Face config.json (or the checkpoint directory that holds it), or a catalogued id ('disagg models').");
        var quantFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "hf_quant_config.json");
        try
        {
            return Parse(File.ReadAllText(file), path.Trim(), File.Exists(quantFile) ? File.ReadAllText(quantFile) : null, $"{field} {file}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{field} {file} is not valid JSON ({e.Message}). Give the checkpoint's Hugging Face config.json.");
        }
    }

    /// <summary>
    /// The model <paramref name="configJson"/> describes, named <paramref name="id"/>; <paramref name="quantConfigJson"/>
    /// is ModelOpt's hf_quant_config.json where the checkpoint has one. <paramref name="where"/> prefixes every error.
    /// </summary>
    public static ModelSpec Parse(string configJson, string id, string? quantConfigJson = null, string where = "config.json")
    {
        using var doc = JsonDocument.Parse(configJson);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InputException($"{where}: expected a JSON object.");
        // Multimodal checkpoints (Gemma 3, Mistral 3, Qwen-VL) nest the language model's geometry; the vision tower is not costed.
        var text = root.TryGetProperty("text_config", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
        var modelType = Str(text, "model_type") ?? Str(root, "model_type") ?? "";
        Refuse(root, text, modelType, where);

        var layers = Int(text, "num_hidden_layers", where);
        var hidden = Int(text, "hidden_size", where);
        var heads = Int(text, "num_attention_heads", where);
        var kvHeads = OptInt(text, "num_key_value_heads") ?? heads;
        var vocab = Int(text, "vocab_size", where);
        var maxContext = OptInt(text, "max_position_embeddings") ?? OptInt(root, "max_position_embeddings") ?? 4096;
        var tied = OptBool(text, "tie_word_embeddings") ?? OptBool(root, "tie_word_embeddings") ?? modelType.StartsWith("gemma", StringComparison.Ordinal);
        var moe = Moe(text, layers, modelType, where);
        // A Nemotron-H stack: one block a layer, its kinds from the pattern (experts only in its E layers).
        var nemotronH = modelType == "nemotron_h" ? NemotronHLayers(text, layers, where) : null;
        if (nemotronH is not null && moe is not null)
            moe = moe with { DenseLayers = layers - nemotronH.Experts, SharedExperts = NemotronHSharedExperts(text, moe), LatentSize = OptInt(text, "moe_latent_size") ?? 0 };
        // A NAS stack (nemotron-nas) gives its KV heads and MLP widths per layer; its top-level ones are null.
        NasLayout? nas = null;
        int? widestMlp = null;
        if (text.TryGetProperty("block_configs", out var blocks))
        {
            if (moe is not null || text.TryGetProperty("kv_lora_rank", out _))
                throw new InputException($"{where}: 'block_configs' beside experts or latent attention is not modelled. Use a catalogued model ('disagg models').");
            (nas, kvHeads, widestMlp) = NasBlockConfigs.Read(blocks, layers, hidden, heads, where);
        }
        var ffn = widestMlp ?? OptInt(text, "intermediate_size") ?? moe?.ExpertFfn ?? throw Missing("intermediate_size", where);
        if (nemotronH is not null) nas = new NasLayout(nemotronH.Attention, nemotronH.Mlp, (long)nemotronH.Mlp * ffn).Validate(layers, where);

        MlaSpec? mla = null;
        int headDim;
        if (OptInt(text, "kv_lora_rank") is { } kvLora)
        {
            var nope = Int(text, "qk_nope_head_dim", where);
            var rope = Int(text, "qk_rope_head_dim", where);
            var topK = OptInt(text, "index_topk") ?? 0;
            mla = new MlaSpec(OptInt(text, "q_lora_rank") ?? 0, kvLora, nope, rope, Int(text, "v_head_dim", where),
                OptInt(text, "index_n_heads") ?? 0, OptInt(text, "index_head_dim") ?? 0, topK,
                topK > 0 ? IndexedLayers(text, layers, where) : 0);
            kvHeads = heads;
            headDim = nope + rope;
        }
        else
        {
            headDim = OptInt(text, "head_dim") ?? OptInt(text, "attention_head_dim") ?? hidden / heads;
        }

        // DeepSeek-V4: its sliding window and compressed caches are the compressed attention's, not a GQA window.
        var compressed = Compressed(text, layers, where);
        if (compressed is not null) headDim = compressed.HeadDim;
        var linear = nemotronH is not null ? Mamba2(text, nemotronH.Mamba, where) : Linear(text, layers, where);
        var window = compressed is null ? Window(text, modelType, layers, maxContext) : null;
        var spec = new ModelSpec(id, layers, hidden, heads, kvHeads, headDim, ffn, vocab, tied, maxContext,
            mla is null && compressed is null ? AttentionKind.Gqa : AttentionKind.Mla, moe, mla, 0, 0)
        {
            Compressed = compressed,
            Nas = nas,
            Linear = linear,
            // Qwen3-Next gates every attention output (its config has no switch); Qwen3.5's configs say so.
            AttentionOutputGate = OptBool(text, "attn_output_gate") ?? (linear is not null && modelType.StartsWith("qwen3_next", StringComparison.Ordinal)),
            OffsetNorm = OffsetNormTypes.Any(t => modelType.StartsWith(t, StringComparison.Ordinal)),
            // auto_map names configuration or modelling code shipped with the checkpoint, which engines load only when trusted.
            // DeepSeek-V4's too: its recipes trust it (its prompt encoding ships as the checkpoint's Python code).
            RemoteCode = root.TryGetProperty("auto_map", out _) || compressed is not null,
            Window = window,
            GlobalAttention = window is null ? null : GlobalAttention(text, kvHeads, headDim),
            AttentionSinks = modelType == "gpt_oss" || compressed is not null,
            HarmonyChat = modelType == "gpt_oss",
            QkNormAcrossHeads = modelType == "minimax_m2" && Str(text, "qk_norm_type") == "per_layer",
            // Nemotron-H's MLPs and experts are squared ReLU: up and down projections only.
            GatedMlp = nemotronH is null,
            // DeepSeek and GLM name their multi-token-prediction layers nextn, Qwen3-Next/3.5 and Nemotron-H mtp layers, MiniMax modules.
            MtpLayers = Math.Max(0, OptInt(text, "num_nextn_predict_layers") ?? OptInt(text, "mtp_num_hidden_layers") ?? OptInt(text, "num_mtp_modules") ?? 0),
            Vision = Vision(root),
        };
        spec = Quantization(spec, root, quantConfigJson, where);
        // DeepSeek-V4's release stores its routed experts in FP4 with UE8M0 scales (MXFP4) beside its block-FP8 layers.
        if (compressed is not null && spec.CheckpointDtype == DType.Fp8 && Str(text, "expert_dtype") == "fp4")
            spec = spec with { CheckpointDtype = DType.Mxfp4, NonExpertCheckpointDtype = DType.Fp8 };
        return spec with { PublishedParams = spec.TotalParams, PublishedActiveParams = spec.ActiveParams };
    }

    // DeepSeek-V4's attention (model_type deepseek_v4): compress_ratios gives each layer's kind, 4 (sparse, with the
    // indexer), 128 (dense) or 0 (window only); entries past num_hidden_layers are the MTP layer's.
    private static CompressedAttentionSpec? Compressed(JsonElement text, int layers, string where)
    {
        if (!text.TryGetProperty("compress_ratios", out var ratios)) return null;
        if (ratios.ValueKind != JsonValueKind.Array || ratios.GetArrayLength() < layers)
            throw new InputException($"{where}: 'compress_ratios' must list a compress ratio (0, 4 or 128) for each of the {layers} layers.");
        var kinds = ratios.EnumerateArray().Take(layers).Select(r => r.ValueKind == JsonValueKind.Number ? r.GetInt32() : -1).ToList();
        if (kinds.Any(r => r is not (0 or 1 or 4 or 128)))
            throw new InputException($"{where}: 'compress_ratios' holds a ratio other than 0, 4 and 128, which is not modelled.");
        var heads = Int(text, "num_attention_heads", where);
        var groups = Int(text, "o_groups", where);
        if (groups < 1 || heads % groups != 0)
            throw new InputException($"{where}: 'o_groups' ({groups}) must divide the {heads} attention heads.");
        return new CompressedAttentionSpec(Int(text, "head_dim", where), Int(text, "qk_rope_head_dim", where), Int(text, "q_lora_rank", where),
            groups, Int(text, "o_lora_rank", where), Int(text, "sliding_window", where),
            kinds.Count(r => r == 4), 4, Int(text, "index_n_heads", where), Int(text, "index_head_dim", where), Int(text, "index_topk", where),
            kinds.Count(r => r == 128), 128, OptInt(text, "hc_mult") ?? 1);
    }

    // IndexShare (GLM-5.2): the layers that run their own DSA indexer, as vLLM and SGLang read them: indexer_types'
    // "full" entries, else index_topk_pattern's non-"S" ones, else every index_topk_freq-th layer from
    // index_skip_topk_offset (a layer indexes when max(layer − offset + 1, 0) is a multiple of the frequency). 0 when
    // every layer does.
    private static int IndexedLayers(JsonElement text, int layers, string where)
    {
        int indexed;
        if (text.TryGetProperty("indexer_types", out var types) && types.ValueKind == JsonValueKind.Array)
        {
            var kinds = types.EnumerateArray().Take(layers).Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : null).ToList();
            if (kinds.Count < layers || kinds.Any(k => k is not ("full" or "shared")))
                throw new InputException($"{where}: 'indexer_types' must name each of the {layers} layers \"full\" (runs its indexer) or \"shared\" (reuses the last full layer's top-k).");
            indexed = kinds.Count(k => k == "full");
        }
        else if (Str(text, "index_topk_pattern") is { } pattern)
        {
            if (pattern.Length < layers)
                throw new InputException($"{where}: 'index_topk_pattern' must give one letter for each of the {layers} layers (\"S\" for a layer that reuses the last top-k).");
            indexed = pattern.Take(layers).Count(c => c != 'S');
        }
        else
        {
            var frequency = OptInt(text, "index_topk_freq") ?? 1;
            if (frequency < 1)
                throw new InputException($"{where}: 'index_topk_freq' must be at least 1 (1: every layer runs its indexer); got {frequency}.");
            var offset = OptInt(text, "index_skip_topk_offset") ?? 2;
            indexed = Enumerable.Range(0, layers).Count(layer => Math.Max(layer - offset + 1, 0) % frequency == 0);
        }
        if (indexed == 0)
            throw new InputException($"{where}: no layer runs the DSA indexer ('indexer_types', 'index_topk_pattern' or 'index_topk_freq'); the first layer must.");
        return indexed == layers ? 0 : indexed;
    }

    // A multimodal checkpoint's vision encoder, where its vision_config gives its layers (Qwen-VL's depth, SigLIP's
    // num_hidden_layers) and width.
    private static VisionEncoderSpec? Vision(JsonElement root) =>
        root.TryGetProperty("vision_config", out var vision) && vision.ValueKind == JsonValueKind.Object
        && (OptInt(vision, "depth") ?? OptInt(vision, "num_hidden_layers")) is { } layers && OptInt(vision, "hidden_size") is { } hidden
            ? new VisionEncoderSpec(layers, hidden) : null;

    private static void Refuse(JsonElement root, JsonElement text, string modelType, string where)
    {
        // Gemma 4's edge models (E2B, E4B) add per-layer input embeddings and share KV caches between layers.
        if (OptInt(text, "hidden_size_per_layer_input") is > 0 || OptInt(text, "num_kv_shared_layers") is > 0)
            throw new InputException($"{where}: per-layer input embeddings ('hidden_size_per_layer_input') or KV caches shared between layers ('num_kv_shared_layers', {modelType}) are not modelled. Use a catalogued model ('disagg models').");
        if (modelType == "nemotron_h")
        {
            if (Str(text, "mlp_hidden_act") is { } act && act != "relu2")
                throw new InputException($"{where}: 'mlp_hidden_act' is '{act}'; Nemotron-H's MLPs and experts are modelled as squared ReLU (relu2), up and down projections only.");
            return;
        }
        foreach (var key in HybridKeys)
        {
            if (text.TryGetProperty(key, out _) || root.TryGetProperty(key, out _))
                throw new InputException($"{where}: '{key}' ({modelType}) marks layers of different kinds (linear attention, state-space or per-layer widths), which a config.json is not modelled from. Use a catalogued model ('disagg models').");
        }
        if (text.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array
            && types.EnumerateArray().Any(t => t.GetString() is { } s && s != "full_attention" && s != "sliding_attention" && s != "linear_attention"))
            throw new InputException($"{where}: 'layer_types' has layers other than full, sliding-window and linear attention ({modelType}), which are not modelled. Use a catalogued model ('disagg models').");
        if (modelType == "llama4" || text.TryGetProperty("attention_chunk_size", out _))
            throw new InputException($"{where}: Llama 4's chunked attention and interleaved MoE layers are not read from a config.json; use meta-llama/Llama-4-Scout-17B-16E-Instruct or meta-llama/Llama-4-Maverick-17B-128E-Instruct.");
        if (PlainMlpTypes.Contains(modelType))
            throw new InputException($"{where}: model_type '{modelType}' has a plain (non-gated) MLP and its own attention layout, which a config.json is not modelled from. Catalogued ones: EleutherAI/gpt-j-6b, tiiuae/falcon-180B ('disagg models').");
    }

    private static MoeSpec? Moe(JsonElement text, int layers, string modelType, string where)
    {
        // ERNIE 4.5 (ernie4_5_moe) names its experts moe_num_experts, moe_k and moe_num_shared_experts, its leading dense
        // layers moe_layer_start_index; ERNIE-VL lists text and vision experts apart ([64, 64]), a mixture over two
        // modalities that is not modelled.
        if (text.TryGetProperty("moe_num_experts", out var ernieExperts) && ernieExperts.ValueKind == JsonValueKind.Array)
            throw new InputException($"{where}: 'moe_num_experts' lists experts per modality ({modelType}), which a config.json is not modelled from. Use a text model's config.json or a catalogued model ('disagg models').");
        var experts = OptInt(text, "n_routed_experts") ?? OptInt(text, "num_local_experts") ?? OptInt(text, "num_experts") ?? OptInt(text, "moe_num_experts");
        if (experts is not > 0) return null;
        var topK = OptInt(text, "num_experts_per_tok") ?? OptInt(text, "experts_per_token") ?? OptInt(text, "top_k_experts") ?? OptInt(text, "moe_k")
            ?? throw Missing("num_experts_per_tok", where);
        var expertFfn = OptInt(text, "moe_intermediate_size") ?? OptInt(text, "intermediate_size") ?? throw Missing("moe_intermediate_size", where);
        // Qwen's MoE configs give one shared expert of its own width, and Gemma 4's MoE layers run their dense MLP
        // (intermediate_size) beside the experts; count either as experts of the routed width, the same weights.
        var sharedWidth = OptInt(text, "shared_expert_intermediate_size")
            ?? (OptBool(text, "enable_moe_block") == true ? OptInt(text, "intermediate_size") : null) ?? 0;
        var shared = OptInt(text, "n_shared_experts") ?? OptInt(text, "moe_num_shared_experts") ?? (sharedWidth > 0 ? (int)Math.Round((double)sharedWidth / expertFfn) : 0);
        var dense = OptInt(text, "first_k_dense_replace") ?? OptInt(text, "moe_layer_start_index") ?? 0;
        // ERNIE's MoE layers run from moe_layer_start_index to moe_layer_end_index (-1: the last), every moe_layer_interval-th.
        if (OptInt(text, "moe_layer_end_index") is int end && end >= 0 && end < layers - 1) dense += layers - 1 - end;
        if (OptInt(text, "moe_layer_interval") is int interval && interval > 1) dense = Math.Max(dense, layers - (layers - dense) / interval);
        if (text.TryGetProperty("mlp_only_layers", out var mlpOnly) && mlpOnly.ValueKind == JsonValueKind.Array) dense += mlpOnly.GetArrayLength();
        // Qwen's decoder_sparse_step k: every k-th layer is MoE (1: all of them).
        var step = OptInt(text, "decoder_sparse_step") ?? 1;
        if (step > 1) dense = Math.Max(dense, layers - layers / step);
        // DeepSeek-V3's router (topk_method noaux_tc, and its followers'), MiniMax's (use_routing_bias) and the GLM-4.5 family's
        // and Nemotron-H's (whose configs name no method: their model code always adds the bias): sigmoid scores plus a
        // per-expert bias, picked within n_group groups.
        var biased = Str(text, "topk_method") == "noaux_tc" || OptBool(text, "use_routing_bias") == true
            || modelType is "glm4_moe" or "glm_moe_dsa" or "nemotron_h";
        return new MoeSpec(experts.Value, topK, shared, expertFfn, Math.Min(dense, layers))
        {
            BiasedSigmoidRouting = biased, ExpertGroups = biased ? Math.Max(1, OptInt(text, "n_group") ?? 1) : 1,
            Fp32RouterLogits = modelType == "minimax_m2",
        };
    }

    // Gated DeltaNet layers (Qwen3-Next, Qwen3.5): layer_types' linear_attention entries, or all but every
    // full_attention_interval-th layer; null for a model without them.
    private static LinearAttentionSpec? Linear(JsonElement text, int layers, string where)
    {
        if (OptInt(text, "linear_num_value_heads") is not { } valueHeads) return null;
        int linearLayers;
        if (text.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array)
            linearLayers = types.EnumerateArray().Count(t => t.GetString() == "linear_attention");
        else if (OptInt(text, "full_attention_interval") is { } interval and > 0)
            linearLayers = layers - layers / interval;
        else
            throw Missing("layer_types' or 'full_attention_interval", where);
        if (linearLayers <= 0 || linearLayers >= layers)
            throw new InputException($"{where}: {linearLayers} linear-attention layers of {layers}; a hybrid keeps full attention in at least one layer and linear attention in another.");
        return new LinearAttentionSpec(linearLayers, Int(text, "linear_num_key_heads", where), valueHeads,
            Int(text, "linear_key_head_dim", where), Int(text, "linear_value_head_dim", where), OptInt(text, "linear_conv_kernel_dim") ?? 4,
            StateBytes: Str(text, "mamba_ssm_dtype") == "float32" ? 4 : 2);
    }

    // A Nemotron-H config's layer kinds: hybrid_override_pattern's characters or layers_block_type's names.
    private static NemotronHPattern NemotronHLayers(JsonElement text, int layers, string where)
    {
        NemotronHPattern pattern;
        if (text.TryGetProperty("layers_block_type", out var types))
            pattern = NemotronHPattern.Read(types, where);
        else
            pattern = NemotronHPattern.Read(Str(text, "hybrid_override_pattern") ?? throw Missing("hybrid_override_pattern", where), where);
        var count = pattern.Mamba + pattern.Attention + pattern.Mlp + pattern.Experts;
        if (count != layers)
            throw new InputException($"{where}: the layer pattern names {count} layers for {layers} (num_hidden_layers); it gives one kind per layer.");
        if (pattern.Experts > 0 && OptInt(text, "n_routed_experts") is not > 0)
            throw Missing("n_routed_experts", where);
        return pattern;
    }

    // Nemotron-H's one shared expert is twice the routed width (3712 against 1856 in Nemotron 3 Nano, 5376 against 2688 in
    // Nemotron 3 Super): counted as experts of the routed width, the same weights.
    private static int NemotronHSharedExperts(JsonElement text, MoeSpec moe) =>
        OptInt(text, "moe_shared_expert_intermediate_size") is { } width and > 0
            ? (OptInt(text, "n_shared_experts") ?? 1) * (int)Math.Round((double)width / moe.ExpertFfn)
            : moe.SharedExperts;

    // Nemotron-H's Mamba2 mixers: vLLM keeps their SSM state in FP32 unless the config names a 16-bit type.
    private static LinearAttentionSpec Mamba2(JsonElement text, int layers, string where) =>
        LinearAttentionSpec.Mamba2(layers, Int(text, "mamba_num_heads", where), Int(text, "mamba_head_dim", where),
            OptInt(text, "n_groups") ?? 8, Int(text, "ssm_state_size", where), OptInt(text, "conv_kernel") ?? 4,
            OptInt(text, "chunk_size") ?? 256, stateBytes: Str(text, "mamba_ssm_cache_dtype") is "bfloat16" or "float16" ? 2 : 4);

    // Gemma 4's full-attention layers: global_head_dim and num_global_key_value_heads where they differ from the sliding
    // layers' head_dim and num_key_value_heads, keys doubling as values with attention_k_eq_v; null where they do not.
    private static GlobalAttentionSpec? GlobalAttention(JsonElement text, int kvHeads, int headDim)
    {
        var global = new GlobalAttentionSpec(OptInt(text, "num_global_key_value_heads") ?? kvHeads, OptInt(text, "global_head_dim") ?? headDim,
            OptBool(text, "attention_k_eq_v") ?? false);
        return global.KvHeads == kvHeads && global.HeadDim == headDim && !global.KeysAreValues ? null : global;
    }

    private static AttentionWindow? Window(JsonElement text, string modelType, int layers, int maxContext)
    {
        var tokens = OptInt(text, "sliding_window") ?? 0;
        // Qwen's configs carry a sliding_window that use_sliding_window false leaves off.
        if (tokens <= 0 || OptBool(text, "use_sliding_window") == false) return null;
        int windowed;
        if (text.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array)
            windowed = types.EnumerateArray().Count(t => t.GetString() == "sliding_attention");
        else if (modelType == "gemma2")
            windowed = layers / 2; // alternating local and global layers, the first local
        else if (modelType.StartsWith("gemma3", StringComparison.Ordinal))
            windowed = layers - layers / (OptInt(text, "sliding_window_pattern") ?? 6); // five local layers to one global
        else
            windowed = tokens < maxContext ? layers : 0; // Mistral 7B v0.1: every layer
        return windowed > 0 ? new AttentionWindow(tokens, windowed, Chunked: false) : null;
    }

    private static ModelSpec Quantization(ModelSpec spec, JsonElement root, string? quantConfigJson, string where)
    {
        if (quantConfigJson is not null)
        {
            // ModelOpt's hf_quant_config.json: {"quantization": {"quant_algo": "FP8", "kv_cache_quant_algo": "FP8"}}.
            using var q = JsonDocument.Parse(quantConfigJson);
            if (q.RootElement.TryGetProperty("quantization", out var mo)) return ModelOpt(spec, mo, where);
        }
        if (!root.TryGetProperty("quantization_config", out var qc) || qc.ValueKind != JsonValueKind.Object) return spec;
        var method = Str(qc, "quant_method")?.ToLowerInvariant();
        switch (method)
        {
            case "fp8":
                return spec with { CheckpointDtype = DType.Fp8, BlockScaledFp8 = qc.TryGetProperty("weight_block_size", out var b) && b.ValueKind == JsonValueKind.Array };
            case "fbgemm_fp8": // Meta's row-wise FP8: per-channel weights, activations scaled per token at run time
                return spec with { CheckpointDtype = DType.Fp8, PerTokenActivationScales = true };
            case "mxfp4":
                if (spec.Moe is null) throw new InputException($"{where}: MXFP4 quantization is modelled for MoE experts only (gpt-oss).");
                return spec with { CheckpointDtype = DType.Mxfp4 };
            case "modelopt":
                return ModelOpt(spec, qc, where);
            case "compressed-tensors":
                return CompressedTensors(spec, qc, where);
            case "gptq" or "awq" when OptInt(qc, "bits") == 4:
                return spec with { CheckpointDtype = DType.Int4 };
            default:
                throw new InputException($"{where}: quantization_config.quant_method '{method}' is not modelled (no kernel costs for it); the formats are fp8, fp4 (NVFP4), mxfp4, int8 (W8A8), int4 (4-bit GPTQ, AWQ) and bf16: pass --dtype, or use the BF16 checkpoint's config.json.");
        }
    }

    private static ModelSpec ModelOpt(ModelSpec spec, JsonElement q, string where)
    {
        var algo = Str(q, "quant_algo")?.ToUpperInvariant();
        DType weights = algo switch
        {
            "FP8" or "FP8_PER_CHANNEL_PER_TOKEN" => DType.Fp8,
            "NVFP4" => DType.Fp4,
            _ => throw new InputException($"{where}: ModelOpt quant_algo '{algo}' is not modelled; the formats are FP8 and NVFP4."),
        };
        var kv = Str(q, "kv_cache_quant_algo")?.ToUpperInvariant() == "FP8" ? DType.Fp8 : (DType?)null;
        return spec with { CheckpointDtype = weights, CheckpointKvDtype = kv, PerTokenActivationScales = algo == "FP8_PER_CHANNEL_PER_TOKEN" };
    }

    private static ModelSpec CompressedTensors(ModelSpec spec, JsonElement qc, string where)
    {
        DType? weights = null;
        var perToken = false;
        if (qc.TryGetProperty("config_groups", out var groups) && groups.ValueKind == JsonValueKind.Object)
        {
            foreach (var group in groups.EnumerateObject())
            {
                if (!group.Value.TryGetProperty("weights", out var w) || w.ValueKind != JsonValueKind.Object) continue;
                var bits = OptInt(w, "num_bits");
                var type = Str(w, "type");
                // Integer weights: W4A16 keeps 16-bit activations (input_activations null); W8A8 quantizes them to INT8.
                var activationBits = group.Value.TryGetProperty("input_activations", out var a) && a.ValueKind == JsonValueKind.Object ? OptInt(a, "num_bits") : null;
                // FP8_DYNAMIC and W8A8 quantize each token's activations as they come (strategy token, dynamic).
                perToken |= activationBits is not null && Str(a, "strategy") == "token" && OptBool(a, "dynamic") == true;
                weights = (bits, type, activationBits) switch
                {
                    (8, "float", _) => DType.Fp8,
                    (4, "float", _) => DType.Fp4,
                    (8, "int", 8) => DType.Int8,
                    (4, "int", null or 16) => DType.Int4,
                    _ => throw new InputException($"{where}: compressed-tensors weights of {bits} bits ({type}) with {(activationBits is { } ab ? $"{ab}-bit" : "16-bit")} activations are not modelled; the formats are fp8, fp4 (NVFP4), mxfp4, int8 (W8A8), int4 (W4A16) and bf16."),
                };
            }
        }
        var kv = qc.TryGetProperty("kv_cache_scheme", out var k) && k.ValueKind == JsonValueKind.Object && OptInt(k, "num_bits") == 8 ? DType.Fp8 : (DType?)null;
        // An MoE whose ignore list leaves attention unquantized quantizes its routed experts only (Kimi K2-Thinking's
        // "re:.*self_attn.*", beside the shared experts and dense MLPs); Red Hat's MoE releases ignore only the router gates.
        var expertsOnly = spec.Moe is not null && qc.TryGetProperty("ignore", out var ignore) && ignore.ValueKind == JsonValueKind.Array
            && ignore.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.String && i.GetString()!.Contains("self_attn", StringComparison.Ordinal));
        return weights is null ? spec : spec with
        {
            CheckpointDtype = weights, CheckpointKvDtype = kv, PerTokenActivationScales = perToken && weights is DType.Fp8 or DType.Int8,
            QuantizedExpertsOnly = expertsOnly,
        };
    }

    private static InputException Missing(string key, string where) =>
        new($"{where}: '{key}' is missing; a Hugging Face config.json of a decoder gives it.");

    // A required size: present and positive (a zero head count would divide by zero downstream).
    private static int Int(JsonElement e, string key, string where) => OptInt(e, key) switch
    {
        null => throw Missing(key, where),
        <= 0 and var v => throw new InputException($"{where}: '{key}' is {v}; a model's sizes are positive."),
        var v => v.Value,
    };

    // A config field's integer, or null when absent or not one (NasBlockConfigs reads block_configs with it too).
    internal static int? OptInt(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static bool? OptBool(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static string? Str(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
