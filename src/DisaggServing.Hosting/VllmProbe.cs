using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Asks a vLLM server whether it serves: <c>/health</c> (the process is up) and <c>/v1/models</c> (the model is
/// loaded). vLLM opens its port only once the engine has loaded, so while it loads both fail to connect.
/// </summary>
internal static class VllmProbe
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Whether the engine serves, and what it said (or why not).</summary>
    public static async Task<(bool Ready, string Detail)> ProbeAsync(VllmEngineResource engine, CancellationToken cancellationToken)
    {
        var endpoint = engine.HttpEndpoint;
        if (!endpoint.IsAllocated) return (false, "no port allocated yet");
        var url = endpoint.Url;
        try
        {
            using (var health = await Http.GetAsync(new Uri(url + "/health"), cancellationToken).ConfigureAwait(false))
            {
                if (!health.IsSuccessStatusCode) return (false, $"/health answered {(int)health.StatusCode}");
            }

            using var models = await Http.GetAsync(new Uri(url + "/v1/models"), cancellationToken).ConfigureAwait(false);
            if (!models.IsSuccessStatusCode) return (false, $"/v1/models answered {(int)models.StatusCode}");
            var list = await models.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            var ids = list.ValueKind == JsonValueKind.Object && list.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out _)).Select(m => m.GetProperty("id").ToString()).ToList()
                : [];
            return ids.Count == 0 ? (false, "/v1/models lists no model") : (true, $"serving {string.Join(", ", ids)}");
        }
        catch (HttpRequestException)
        {
            return (false, $"not answering on {url} yet: loading the model");
        }
        catch (JsonException)
        {
            return (false, "/v1/models did not answer JSON");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"{url} did not answer within 5 s");
        }
    }
}
