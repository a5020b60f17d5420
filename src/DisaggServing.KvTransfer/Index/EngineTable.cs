namespace DisaggServing.KvTransfer.Index;

/// <summary>
/// An immutable snapshot of the engines the index knows, interned to small ordinals (bit positions in
/// <see cref="BlockTable"/>). The writer replaces the whole table on every membership change, so readers take one
/// consistent snapshot with a single volatile read. A freed ordinal is reused by the next engine that joins.
/// </summary>
internal sealed class EngineTable
{
    private EngineTable(string?[] names, Dictionary<string, int> ordinals)
    {
        Names = names;
        Ordinals = ordinals;
        WordCount = (names.Length + 63) >> 6;
    }

    /// <summary>No engines.</summary>
    public static EngineTable Empty { get; } = new([], new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>Engine id by ordinal (null where the ordinal is free).</summary>
    public string?[] Names { get; }

    /// <summary>Ordinal by engine id.</summary>
    public Dictionary<string, int> Ordinals { get; }

    /// <summary>64-bit words needed for a bitset over every ordinal in use.</summary>
    public int WordCount { get; }

    /// <summary>The lowest free ordinal.</summary>
    public int FreeOrdinal()
    {
        var index = Array.IndexOf(Names, null);
        return index < 0 ? Names.Length : index;
    }

    /// <summary>This table plus <paramref name="engineId"/> at <paramref name="ordinal"/>.</summary>
    public EngineTable With(int ordinal, string engineId)
    {
        var names = new string?[Math.Max(Names.Length, ordinal + 1)];
        Names.CopyTo(names, 0);
        names[ordinal] = engineId;
        return new EngineTable(names, new Dictionary<string, int>(Ordinals, StringComparer.Ordinal) { [engineId] = ordinal });
    }

    /// <summary>This table without the engine at <paramref name="ordinal"/>.</summary>
    public EngineTable Without(int ordinal)
    {
        var length = Names.Length;
        var names = (string?[])Names.Clone();
        var ordinals = new Dictionary<string, int>(Ordinals, StringComparer.Ordinal);
        if (names[ordinal] is { } id)
            ordinals.Remove(id);
        names[ordinal] = null;
        while (length > 0 && names[length - 1] is null)
            length--;
        return new EngineTable(names[..length], ordinals);
    }
}
