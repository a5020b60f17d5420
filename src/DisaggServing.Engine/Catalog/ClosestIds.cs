namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The known ids nearest to a mistyped one, for error messages: ranked by the words they share (split on '/', '-',
/// '_', '.' and spaces, case-insensitive), each weighted by how rare it is among the known ids (a shared "32b" says more
/// than a shared "instruct"), then by edit distance. A list of ~190 ids is no help to read; the few that share "Qwen3"
/// and "32B" with the typo are.
/// </summary>
public static class ClosestIds
{
    /// <summary>Up to <paramref name="count"/> of <paramref name="known"/>, closest to <paramref name="id"/> first.</summary>
    public static IReadOnlyList<string> To(string id, IEnumerable<string> known, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(id);
        var candidates = known.Select(k => (Id: k, Words: Words(k))).ToArray();
        var documents = candidates.SelectMany(c => c.Words).CountBy(w => w).ToDictionary(p => p.Key, p => p.Value);
        var wanted = Words(id);
        var lowered = id.Trim().ToLowerInvariant();
        return candidates
            .Select(c => (c.Id, Shared: c.Words.Intersect(wanted).Sum(w => Math.Log(1.0 + candidates.Length / (double)documents[w])),
                Distance: EditDistance(lowered, c.Id.ToLowerInvariant())))
            .OrderByDescending(c => c.Shared)
            .ThenBy(c => c.Distance)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Id)
            .ToArray();
    }

    private static HashSet<string> Words(string id) =>
        id.ToLowerInvariant().Split(['/', '-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    /// <summary>Levenshtein distance (insertions, deletions and substitutions each cost 1).</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
