using System.Security.Cryptography;
using System.Text;

namespace DisaggServing.Router.Requests;

/// <summary>Optional Bearer API keys (vLLM's <c>--api-key</c>): with no keys configured every request passes.</summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[][] _keys;

    /// <summary>An authenticator accepting <paramref name="keys"/> (blank entries ignored).</summary>
    public ApiKeyAuthenticator(IEnumerable<string> keys)
    {
        var list = new List<byte[]>();
        foreach (var key in keys)
            if (!string.IsNullOrWhiteSpace(key))
                list.Add(Encoding.UTF8.GetBytes(key.Trim()));
        _keys = [.. list];
    }

    /// <summary>Whether keys are required.</summary>
    public bool IsEnabled => _keys.Length > 0;

    /// <summary>Whether an <c>Authorization</c> header value carries an accepted key (compared in constant time).</summary>
    public bool IsAuthorized(string? authorization)
    {
        if (_keys.Length == 0) return true;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(authorization.AsSpan(7).Trim().ToString());
        var ok = false;
        foreach (var key in _keys)
            ok |= CryptographicOperations.FixedTimeEquals(presented, key);
        return ok;
    }
}
