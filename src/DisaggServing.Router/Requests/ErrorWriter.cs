using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.Requests;

/// <summary>Writes OpenAI's error shape, <c>{"error":{"message","type","param","code"}}</c>, nulls included.</summary>
public static class ErrorWriter
{
    /// <summary>The error as JSON bytes.</summary>
    public static byte[] ToJson(ErrorResponse error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, PdRequestTransforms.WriterOptions))
            Write(writer, error);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the error object to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, ErrorResponse error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Error.Message);
        writer.WriteString("type", error.Error.Type);
        if (error.Error.Param is null) writer.WriteNull("param"); else writer.WriteString("param", error.Error.Param);
        switch (error.Error.Code)
        {
            case null: writer.WriteNull("code"); break;
            case int status: writer.WriteNumber("code", status); break;
            case var code: writer.WriteString("code", code.ToString()); break;
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Answers <paramref name="context"/> with <paramref name="status"/> and <paramref name="error"/> (when the response has not started).</summary>
    public static async Task WriteAsync(HttpContext context, int status, ErrorResponse error)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = ToJson(error);
        context.Response.ContentLength = body.Length;
        try { await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
