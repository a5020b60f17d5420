using DisaggServing.Router.Endpoints;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Configuration;

/// <summary>
/// Binds the <c>Router</c> section. The lists (<c>Prefill</c>, <c>Decode</c>, <c>ApiKeys</c>) are given as indexed keys
/// (<c>Router:Prefill:0</c>, env <c>Router__Prefill__0</c>) or as one comma-separated value (<c>Router__Prefill=http://a,http://b</c>).
/// A <c>Prefill</c> / <c>Decode</c> entry is an http(s) base URL or <c>dns:///host:port</c>.
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
        CheckEngines(options.Prefill, "Prefill");
        CheckEngines(options.Decode, "Decode");
        if (options.DnsRefreshIntervalMs <= 0)
            throw new InvalidOperationException($"Router:DnsRefreshIntervalMs is {options.DnsRefreshIntervalMs}; give a positive number of milliseconds.");
        if (options.MaxBodyBytes <= 0)
            throw new InvalidOperationException($"Router:MaxBodyBytes is {options.MaxBodyBytes}; give a positive number of bytes.");
        if (options.BlockSize <= 0)
            throw new InvalidOperationException($"Router:BlockSize is {options.BlockSize}; give a positive number of tokens.");
        if (options.ApproximatePrefix.BlocksPerEngine <= 0 || !(options.ApproximatePrefix.TtlSeconds > 0))
            throw new InvalidOperationException(
                $"Router:ApproximatePrefix:BlocksPerEngine ({options.ApproximatePrefix.BlocksPerEngine}) and TtlSeconds ({options.ApproximatePrefix.TtlSeconds}) must be positive; set Router:ApproximatePrefix:Enabled=false to turn the estimate off.");
        if (!string.IsNullOrWhiteSpace(options.KvTransferUrl) && !Uri.TryCreate(options.KvTransferUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException($"Router:KvTransferUrl '{options.KvTransferUrl}' is not an absolute URL such as http://127.0.0.1:5050.");
        if (options.FlowControl.Problem() is { } flowProblem) throw new InvalidOperationException(flowProblem);
        var r = options.Resilience;
        if (r.MaxDecodeAttempts < 1 || r.MaxMigrations < 0 || r.LeaseReuseMs < 0 || r.MaxBufferedResponseBytes < 1024)
            throw new InvalidOperationException(
                $"Router:Resilience: MaxDecodeAttempts ({r.MaxDecodeAttempts}) must be at least 1, MaxMigrations ({r.MaxMigrations}) and LeaseReuseMs ({r.LeaseReuseMs}) at least 0, MaxBufferedResponseBytes ({r.MaxBufferedResponseBytes}) at least 1024.");
        for (var i = 0; i < options.Tokenizers.Count; i++)
        {
            var entry = options.Tokenizers[i];
            if (string.IsNullOrWhiteSpace(entry.Model) || string.IsNullOrWhiteSpace(entry.TiktokenFile))
                throw new InvalidOperationException($"Router:Tokenizers:{i} needs both Model (the served model id) and TiktokenFile (its tiktoken rank file).");
            Protocol.Tokenization.PromptTokenizers.LoadTiktoken(entry.Model, entry.TiktokenFile);
        }

        return options;
    }

    // Checked here so that a bad entry stops the start naming its key, not later when the catalog is built.
    private static void CheckEngines(List<string> entries, string key)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(entries[i]) && !EngineSource.TryParse(entries[i], out _, out var error))
                throw new InvalidOperationException($"Router:{key}:{i}: {error}");
        }
    }

    private static void AddSeparated(List<string> target, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        foreach (var item in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!target.Contains(item)) target.Add(item);
    }
}
