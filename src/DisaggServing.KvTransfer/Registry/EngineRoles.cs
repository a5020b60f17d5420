namespace DisaggServing.KvTransfer.Registry;

/// <summary>The engine roles the registry accepts, and how a role filter matches them.</summary>
public static class EngineRoles
{
    /// <summary>Computes prompts' KV and hands it to decode.</summary>
    public const string Prefill = "prefill";

    /// <summary>Pulls KV from prefill and generates tokens.</summary>
    public const string Decode = "decode";

    /// <summary>Does both (colocated serving).</summary>
    public const string Both = "both";

    /// <summary>The canonical (lower-case) role for <paramref name="role"/>, or null when it is not a known role.</summary>
    public static string? Normalize(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        Prefill => Prefill,
        Decode => Decode,
        Both => Both,
        _ => null,
    };

    /// <summary>
    /// Whether an engine of role <paramref name="engineRole"/> passes the filter <paramref name="filter"/>: an empty
    /// filter passes every engine, and a <c>both</c> engine passes <c>prefill</c> and <c>decode</c> filters too (it serves them).
    /// </summary>
    public static bool Matches(string engineRole, string? filter)
    {
        if (string.IsNullOrEmpty(filter))
            return true;
        if (string.Equals(engineRole, filter, StringComparison.OrdinalIgnoreCase))
            return true;
        return engineRole == Both && Normalize(filter) is Prefill or Decode;
    }
}
