using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>JSON helpers for request bodies and responses.</summary>
public static class Json
{
    public static JsonSerializerOptions Options => JsonDefaults.Options;

    public static string Of(object value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Asserts the OpenAI error shape and returns the error object.</summary>
    public static JsonElement AssertError(JsonElement body, string type)
    {
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        return error;
    }

    public static string? Param(JsonElement error) =>
        error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
