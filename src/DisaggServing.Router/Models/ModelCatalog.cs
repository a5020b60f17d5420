using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.Configuration;

namespace DisaggServing.Router.Models;

/// <summary>
/// The models the router serves and their context length: <c>Router:Model</c> and <c>Router:MaxContextTokens</c> when
/// configured, else what the workers' <c>/v1/models</c> say (id, max_model_len).
/// </summary>
public sealed class ModelCatalog
{
    private readonly string? _configuredModel;
    private readonly int _configuredContext;
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private volatile WorkerModels? _worker;

    /// <summary>A catalog from <paramref name="options"/>.</summary>
    public ModelCatalog(RouterOptions options)
    {
        _configuredModel = string.IsNullOrWhiteSpace(options.Model) ? null : options.Model.Trim();
        _configuredContext = Math.Max(0, options.MaxContextTokens);
    }

    /// <summary>Whether the workers' model list is still wanted (no configured model, or no context length known).</summary>
    public bool WantsWorkerModels => _worker is null && (_configuredModel is null || _configuredContext == 0);

    /// <summary>Whether any model id is known (otherwise the model field cannot be checked).</summary>
    public bool KnowsModels => _configuredModel is not null || _worker is { Ids.Length: > 0 };

    /// <summary>Prompt + max_tokens limit; 0 when unknown (the workers check).</summary>
    public int ContextLimit => _configuredContext > 0 ? _configuredContext : _worker?.MaxModelLen ?? 0;

    /// <summary>Whether <paramref name="model"/> is served (true when nothing is known yet).</summary>
    public bool IsServed(string model)
    {
        if (_configuredModel is not null) return string.Equals(model, _configuredModel, StringComparison.Ordinal);
        if (_worker is not { Ids.Length: > 0 } worker) return true;
        return Array.IndexOf(worker.Ids, model) >= 0;
    }

    /// <summary>Takes the model list a worker returned from <c>/v1/models</c>; false when it is not one.</summary>
    public bool ApplyWorkerModels(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Object || !list.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            return false;
        var ids = new List<string>();
        var maxLen = 0;
        foreach (var card in data.EnumerateArray())
        {
            if (card.ValueKind != JsonValueKind.Object || !card.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) continue;
            ids.Add(id.GetString()!);
            if (card.TryGetProperty("max_model_len", out var len) && len.TryGetInt32(out var value) && value > 0)
                maxLen = maxLen == 0 ? value : Math.Min(maxLen, value);
        }
        _worker = new WorkerModels([.. ids], maxLen);
        return true;
    }

    /// <summary>The <c>/v1/models</c> answer; null when nothing is known yet.</summary>
    public ModelList? ToModelList()
    {
        var context = ContextLimit > 0 ? ContextLimit : (int?)null;
        if (_configuredModel is not null)
            return new ModelList([new ModelCard(_configuredModel, _created, "disagg-serving", context)]);
        if (_worker is not { Ids.Length: > 0 } worker) return null;
        var cards = new List<ModelCard>(worker.Ids.Length);
        foreach (var id in worker.Ids) cards.Add(new ModelCard(id, _created, "disagg-serving", context));
        return new ModelList(cards);
    }

    private sealed record WorkerModels(string[] Ids, int MaxModelLen);
}
