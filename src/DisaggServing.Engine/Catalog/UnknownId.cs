namespace DisaggServing.Engine.Catalog;

/// <summary>Lookup helper that turns a miss into an <see cref="InputException"/> listing the known ids.</summary>
internal static class UnknownId
{
    public static T Lookup<T>(IReadOnlyDictionary<string, T> table, string id, string what, string field)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (table.TryGetValue(id.Trim(), out var found)) return found;
        throw new InputException($"Unknown {what} '{id}' for {field}. Known: {string.Join(", ", table.Keys.Order(StringComparer.Ordinal))}.");
    }
}
