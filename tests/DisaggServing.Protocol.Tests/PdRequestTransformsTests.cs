using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Protocol.Tests;

/// <summary>
/// Golden JSON of the prefill and decode bodies the router sends for given client bodies (vLLM's proxy protocol).
/// Set UPDATE_GOLDEN=1 to rewrite the expected files (then review the diff).
/// </summary>
public class PdRequestTransformsTests
{
    public static TheoryData<string> Cases => new() { "chat-stream", "chat-max-completion-tokens", "completion" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prefill_body_matches_golden(string name)
    {
        using var client = JsonDocument.Parse(Golden.Read($"{name}.client.json"));
        var written = Write(w => PdRequestTransforms.WritePrefillRequest(client.RootElement, w));
        Golden.AssertText($"{name}.prefill.json", written);

        var node = PdRequestTransforms.ToPrefillRequest(JsonNode.Parse(Golden.Read($"{name}.client.json"))!.AsObject());
        Assert.Equal(written, Write(w => node.WriteTo(w)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_body_matches_golden(string name)
    {
        using var client = JsonDocument.Parse(Golden.Read($"{name}.client.json"));
        using var response = JsonDocument.Parse(Golden.Read("prefill-response.json"));
        Assert.True(PdRequestTransforms.TryGetKvTransferParams(response.RootElement, out var kv));
        var written = Write(w => PdRequestTransforms.WriteDecodeRequest(client.RootElement, kv, w));
        Golden.AssertText($"{name}.decode.json", written);

        var clientNode = JsonNode.Parse(Golden.Read($"{name}.client.json"))!.AsObject();
        var kvNode = JsonNode.Parse(Golden.Read("prefill-response.json"))![PdRequestTransforms.KvTransferParamsField];
        Assert.Equal(written, Write(w => PdRequestTransforms.ToDecodeRequest(clientNode, kvNode).WriteTo(w)));
    }

    [Fact]
    public void Prefill_body_carries_exactly_vllms_six_fields_and_one_token()
    {
        using var client = JsonDocument.Parse("""{"model":"m","prompt":"p","max_tokens":9,"max_completion_tokens":9,"stream":true,"stream_options":{},"min_tokens":3,"kv_transfer_params":{"x":1}}""");
        var body = JsonNode.Parse(Write(w => PdRequestTransforms.WritePrefillRequest(client.RootElement, w)))!.AsObject();
        Assert.Equal(1, (int)body["max_tokens"]!);
        Assert.Equal(1, (int)body["max_completion_tokens"]!);
        Assert.False((bool)body["stream"]!);
        Assert.False(body.ContainsKey("stream_options"));
        Assert.False(body.ContainsKey("min_tokens"));
        var kv = body["kv_transfer_params"]!.AsObject();
        Assert.Equal(
            ["do_remote_decode", "do_remote_prefill", "remote_engine_id", "remote_block_ids", "remote_host", "remote_port"],
            kv.Select(p => p.Key).ToArray());
        Assert.True((bool)kv["do_remote_decode"]!);
        Assert.False((bool)kv["do_remote_prefill"]!);
        Assert.Null(kv["remote_engine_id"]);
        Assert.True(JsonNode.DeepEquals(kv, PdRequestTransforms.PrefillKvTransferParams()));
    }

    [Fact]
    public void Prefill_body_does_not_add_max_completion_tokens_when_absent()
    {
        using var client = JsonDocument.Parse("""{"prompt":"p"}""");
        var body = JsonNode.Parse(Write(w => PdRequestTransforms.WritePrefillRequest(client.RootElement, w)))!.AsObject();
        Assert.False(body.ContainsKey("max_completion_tokens"));
        Assert.Equal(1, (int)body["max_tokens"]!);
    }

    [Fact]
    public void Decode_body_without_prefill_params_is_the_client_body_less_its_own_kv_params()
    {
        const string text = """{"model":"m","prompt":"p","stream":true,"kv_transfer_params":{"do_remote_prefill":true}}""";
        using var client = JsonDocument.Parse(text);
        var written = Write(w => PdRequestTransforms.WriteDecodeRequest(client.RootElement, null, w), indented: false);
        Assert.Equal("""{"model":"m","prompt":"p","stream":true}""", written);
    }

    [Fact]
    public void Node_transforms_leave_their_input_unchanged()
    {
        var client = JsonNode.Parse("""{"prompt":"p","stream":true,"max_tokens":5,"kv_transfer_params":{"a":1}}""")!.AsObject();
        var before = client.ToJsonString();
        _ = PdRequestTransforms.ToPrefillRequest(client);
        _ = PdRequestTransforms.ToDecodeRequest(client, JsonNode.Parse("""{"remote_engine_id":"e"}"""));
        Assert.Equal(before, client.ToJsonString());
    }

    [Fact]
    public void Prefill_response_without_params_yields_none()
    {
        using var response = JsonDocument.Parse("""{"id":"x","kv_transfer_params":null}""");
        Assert.False(PdRequestTransforms.TryGetKvTransferParams(response.RootElement, out _));
    }

    [Fact]
    public void Non_object_bodies_are_rejected()
    {
        using var array = JsonDocument.Parse("[1]");
        Assert.Throws<ArgumentException>(() => Write(w => PdRequestTransforms.WritePrefillRequest(array.RootElement, w)));
    }

    private static string Write(Action<Utf8JsonWriter> write, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? PdRequestTransforms.IndentedWriterOptions : PdRequestTransforms.WriterOptions))
            write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
