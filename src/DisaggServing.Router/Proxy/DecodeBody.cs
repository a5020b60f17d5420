using System.Text.Json;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Router.Proxy;

/// <summary>The body a decode engine gets: the client's, with the prefill's kv_transfer_params and, to allow migration, <c>return_token_ids</c>.</summary>
public static class DecodeBody
{
    /// <summary>vLLM's request field asking for the generated token ids on each choice (vLLM ≥ 0.10.2).</summary>
    public const string ReturnTokenIds = "return_token_ids";

    /// <summary>Writes <paramref name="client"/> with <paramref name="kvTransferParams"/> (when given) and, when <paramref name="returnTokenIds"/>, return_token_ids: true.</summary>
    public static void Write(JsonElement client, JsonElement? kvTransferParams, bool returnTokenIds, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var property in client.EnumerateObject())
        {
            if (property.NameEquals(PdRequestTransforms.KvTransferParamsField)) continue;
            if (returnTokenIds && property.NameEquals(ReturnTokenIds)) continue;
            property.WriteTo(writer);
        }
        if (kvTransferParams is { ValueKind: JsonValueKind.Object } kv)
        {
            writer.WritePropertyName(PdRequestTransforms.KvTransferParamsField);
            kv.WriteTo(writer);
        }
        if (returnTokenIds) writer.WriteBoolean(ReturnTokenIds, true);
        writer.WriteEndObject();
    }
}
