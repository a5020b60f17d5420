using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Configuration;

/// <summary>
/// Binds the <c>Router</c> section. The lists (<c>Prefill</c>, <c>Decode</c>, <c>ApiKeys</c>) are given as indexed keys
/// (<c>Router:Prefill:0</c>, env <c>Router__Prefill__0</c>) or as one comma-separated value (<c>Router__Prefill=http://a,http://b</c>).
/// </summary>
public static class RouterOptionsLoader
{
    /// <summary>The options in <paramref name="configuration"/> (the whole configuration, not the section).</summary>
    public static RouterOptions Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(RouterOptions.SectionName);
        var options = section.Get<RouterOptions>() ?? new RouterOptions();
        AddSeparated(options.Prefill, section["Prefill"]);
        AddSeparated(options.Decode, section["Decode"]);
        AddSeparated(options.ApiKeys, section["ApiKeys"]);
        if (options.MaxBodyBytes <= 0)
            throw new InvalidOperationException($"Router:MaxBodyBytes is {options.MaxBodyBytes}; give a positive number of bytes.");
        if (options.BlockSize <= 0)
            throw new InvalidOperationException($"Router:BlockSize is {options.BlockSize}; give a positive number of tokens.");
        if (!string.IsNullOrWhiteSpace(options.KvTransferUrl) && !Uri.TryCreate(options.KvTransferUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException($"Router:KvTransferUrl '{options.KvTransferUrl}' is not an absolute URL such as http://127.0.0.1:5050.");
        return options;
    }

    private static void AddSeparated(List<string> target, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        foreach (var item in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!target.Contains(item)) target.Add(item);
    }
}
