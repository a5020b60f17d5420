using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Protocol;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>Plays vLLM's P/D proxy between two workers (DESIGN §2): prefill with do_remote_decode, then decode with the returned params.</summary>
public static class PdClient
{
    /// <summary>The prefill request vLLM's proxy sends for <paramref name="body"/>.</summary>
    public static string PrefillBody(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node["kv_transfer_params"] = JsonNode.Parse("""
            {"do_remote_decode": true, "do_remote_prefill": false, "remote_engine_id": null, "remote_block_ids": null, "remote_host": null, "remote_port": null}
            """);
        node["stream"] = false;
        node["max_tokens"] = 1;
        if (node.ContainsKey("max_completion_tokens"))
            node["max_completion_tokens"] = 1;
        node.Remove("stream_options");
        node.Remove("min_tokens");
        return node.ToJsonString();
    }

    /// <summary>The original body plus the prefill's kv_transfer_params, verbatim.</summary>
    public static string DecodeBody(string body, JsonElement kvTransferParams)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node["kv_transfer_params"] = JsonNode.Parse(kvTransferParams.GetRawText());
        return node.ToJsonString();
    }

    public static async Task<JsonElement> PrefillAsync(WorkerHost prefill, string path, string body, string requestId)
    {
        var (status, response) = await prefill.PostAsync(path, PrefillBody(body), Headers(requestId));
        Assert.True(status == 200, $"prefill answered {status}: {response}");
        return response.GetProperty("kv_transfer_params");
    }

    public static Dictionary<string, string> Headers(string requestId) => new() { [HeaderNames.RequestId] = requestId };
}
