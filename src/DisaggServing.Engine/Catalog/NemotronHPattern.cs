using System.Text.Json;

namespace DisaggServing.Engine.Catalog;

/// <summary>
/// A Nemotron-H stack's layer kinds: config.json's <c>hybrid_override_pattern</c>, one character a layer (<c>M</c> Mamba2,
/// <c>*</c> attention, <c>-</c> MLP, <c>E</c> experts), or the newer configs' <c>layers_block_type</c> list ("mamba",
/// "attention", "mlp", "moe"). What the performance model needs is how many layers of each kind, not their order.
/// </summary>
/// <param name="Mamba">Mamba2 mixer layers.</param>
/// <param name="Attention">Attention layers (the only ones with a KV cache).</param>
/// <param name="Mlp">Dense MLP layers.</param>
/// <param name="Experts">Expert (MoE) layers.</param>
public sealed record NemotronHPattern(int Mamba, int Attention, int Mlp, int Experts)
{
    /// <summary>The counts of <paramref name="pattern"/>'s layer kinds; an <see cref="InputException"/> naming <paramref name="where"/> for any other character.</summary>
    public static NemotronHPattern Read(string pattern, string where)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        int m = 0, a = 0, d = 0, e = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case 'M': m++; break;
                case '*': a++; break;
                case '-': d++; break;
                case 'E': e++; break;
                default:
                    throw new InputException($"{where}: hybrid_override_pattern[{i}] is '{pattern[i]}'; a Nemotron-H layer is M (Mamba2), * (attention), - (MLP) or E (experts).");
            }
        }
        return new NemotronHPattern(m, a, d, e).Validate(pattern.Length, where);
    }

    /// <summary>The counts of a <c>layers_block_type</c> list's kinds.</summary>
    public static NemotronHPattern Read(JsonElement blockTypes, string where)
    {
        if (blockTypes.ValueKind != JsonValueKind.Array)
            throw new InputException($"{where}: 'layers_block_type' is not a list; a Nemotron-H config gives one kind per layer.");
        var pattern = string.Concat(blockTypes.EnumerateArray().Select((t, i) => t.GetString() switch
        {
            "mamba" => 'M',
            "attention" => '*',
            "mlp" => '-',
            "moe" => 'E',
            var other => throw new InputException($"{where}: layers_block_type[{i}] is '{other}'; a Nemotron-H layer is mamba, attention, mlp or moe."),
        }));
        return Read(pattern, where);
    }

    private NemotronHPattern Validate(int layers, string where)
    {
        if (Attention < 1)
            throw new InputException($"{where}: no attention layer in {layers}; the performance model sizes the KV cache by a hybrid's attention layers, and a Nemotron-H stack keeps some.");
        if (Mamba < 1)
            throw new InputException($"{where}: no Mamba2 layer in {layers}; a stack of attention and MLP layers is a plain decoder, not a Nemotron-H hybrid.");
        return this;
    }
}
