using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DisaggServing.Protocol.Vllm;

/// <summary>
/// The request rewrites of vLLM's P/D proxy (NixlConnector protocol; docs/architecture.md, "A request in P/D mode"), shared by the router and tools.
/// <list type="bullet">
/// <item>Prefill body: the client body, every unknown field kept, plus the six-field <c>kv_transfer_params</c> with
/// <c>do_remote_decode: true</c>; <c>stream: false</c>; <c>max_tokens: 1</c> (and <c>max_completion_tokens: 1</c>
/// when present); <c>stream_options</c> and <c>min_tokens</c> removed.</item>
/// <item>Decode body: the client body untouched plus the prefill response's <c>kv_transfer_params</c> verbatim.</item>
/// <item>A client's own <c>kv_transfer_params</c> is never forwarded.</item>
/// </list>
/// Fields keep their place; fields the rewrite adds go last, in the order stream, max_tokens, kv_transfer_params.
/// The <see cref="JsonElement"/> overloads write straight to a <see cref="Utf8JsonWriter"/> (no copy of the body);
/// the <see cref="JsonObject"/> overloads return new objects and leave their input unchanged.
/// </summary>
public static class PdRequestTransforms
{
    /// <summary>The P/D field of requests and prefill responses.</summary>
    public const string KvTransferParamsField = "kv_transfer_params";

    private const string Stream = "stream";
    private const string StreamOptions = "stream_options";
    private const string MaxTokens = "max_tokens";
    private const string MaxCompletionTokens = "max_completion_tokens";
    private const string MinTokens = "min_tokens";

    /// <summary>
    /// Writer options for rewritten bodies: non-ASCII text and characters such as <c>&lt;</c> and <c>+</c> are written
    /// as they are, not as <c>\uXXXX</c> escapes, so prompts reach the engines byte for byte.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writer options of <see cref="WriterOptions"/>, indented (for logs and golden files).</summary>
    public static JsonWriterOptions IndentedWriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>The <c>kv_transfer_params</c> a prefill request carries (exactly the fields vLLM's proxy sends).</summary>
    public static JsonObject PrefillKvTransferParams() => new()
    {
        ["do_remote_decode"] = true,
        ["do_remote_prefill"] = false,
        ["remote_engine_id"] = null,
        ["remote_block_ids"] = null,
        ["remote_host"] = null,
        ["remote_port"] = null,
    };

    /// <summary>Writes the prefill body for the client body <paramref name="client"/> (a JSON object).</summary>
    public static void WritePrefillRequest(JsonElement client, Utf8JsonWriter writer)
    {
        RequireObject(client.ValueKind);
        writer.WriteStartObject();
        var sawStream = false;
        var sawMaxTokens = false;
        foreach (var property in client.EnumerateObject())
        {
            switch (Classify(property.Name))
            {
                case FieldAction.Drop:
                    continue;
                case FieldAction.Stream:
                    sawStream = true;
                    writer.WriteBoolean(Stream, false);
                    continue;
                case FieldAction.OneToken:
                    sawMaxTokens |= property.NameEquals(MaxTokens);
                    writer.WriteNumber(property.Name, 1);
                    continue;
                default:
                    property.WriteTo(writer);
                    continue;
            }
        }
        WritePrefillTail(writer, sawStream, sawMaxTokens);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the decode body: the client body <paramref name="client"/> untouched (less any client
    /// <c>kv_transfer_params</c>) plus <paramref name="kvTransferParams"/> verbatim when it is an object
    /// (a fallback to decode-only passes none).
    /// </summary>
    public static void WriteDecodeRequest(JsonElement client, JsonElement? kvTransferParams, Utf8JsonWriter writer)
    {
        RequireObject(client.ValueKind);
        writer.WriteStartObject();
        foreach (var property in client.EnumerateObject())
            if (!property.NameEquals(KvTransferParamsField))
                property.WriteTo(writer);
        if (kvTransferParams is { ValueKind: JsonValueKind.Object } kv)
        {
            writer.WritePropertyName(KvTransferParamsField);
            kv.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    /// <summary>The prefill body for <paramref name="client"/>, as a new object.</summary>
    public static JsonObject ToPrefillRequest(JsonObject client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var result = new JsonObject();
        var sawStream = false;
        var sawMaxTokens = false;
        foreach (var (name, value) in client)
        {
            switch (Classify(name))
            {
                case FieldAction.Drop:
                    continue;
                case FieldAction.Stream:
                    sawStream = true;
                    result[Stream] = false;
                    continue;
                case FieldAction.OneToken:
                    sawMaxTokens |= name == MaxTokens;
                    result[name] = 1;
                    continue;
                default:
                    result[name] = value?.DeepClone();
                    continue;
            }
        }
        if (!sawStream) result[Stream] = false;
        if (!sawMaxTokens) result[MaxTokens] = 1;
        result[KvTransferParamsField] = PrefillKvTransferParams();
        return result;
    }

    /// <summary>The decode body for <paramref name="client"/> and the prefill's <paramref name="kvTransferParams"/>, as a new object.</summary>
    public static JsonObject ToDecodeRequest(JsonObject client, JsonNode? kvTransferParams)
    {
        ArgumentNullException.ThrowIfNull(client);
        var result = new JsonObject();
        foreach (var (name, value) in client)
            if (name != KvTransferParamsField)
                result[name] = value?.DeepClone();
        if (kvTransferParams is JsonObject kv)
            result[KvTransferParamsField] = kv.DeepClone();
        return result;
    }

    /// <summary>The <c>kv_transfer_params</c> of a prefill response, when it carries an object there.</summary>
    public static bool TryGetKvTransferParams(JsonElement prefillResponse, out JsonElement kvTransferParams)
    {
        kvTransferParams = default;
        return prefillResponse.ValueKind == JsonValueKind.Object
            && prefillResponse.TryGetProperty(KvTransferParamsField, out kvTransferParams)
            && kvTransferParams.ValueKind == JsonValueKind.Object;
    }

    private static void WritePrefillTail(Utf8JsonWriter writer, bool sawStream, bool sawMaxTokens)
    {
        if (!sawStream) writer.WriteBoolean(Stream, false);
        if (!sawMaxTokens) writer.WriteNumber(MaxTokens, 1);
        writer.WriteStartObject(KvTransferParamsField);
        writer.WriteBoolean("do_remote_decode", true);
        writer.WriteBoolean("do_remote_prefill", false);
        writer.WriteNull("remote_engine_id");
        writer.WriteNull("remote_block_ids");
        writer.WriteNull("remote_host");
        writer.WriteNull("remote_port");
        writer.WriteEndObject();
    }

    private static FieldAction Classify(string name) => name switch
    {
        KvTransferParamsField or StreamOptions or MinTokens => FieldAction.Drop,
        Stream => FieldAction.Stream,
        MaxTokens or MaxCompletionTokens => FieldAction.OneToken,
        _ => FieldAction.Keep,
    };

    private static void RequireObject(JsonValueKind kind)
    {
        if (kind != JsonValueKind.Object)
            throw new ArgumentException($"A request body must be a JSON object, not {kind}.");
    }

    private enum FieldAction { Keep, Drop, Stream, OneToken }
}
