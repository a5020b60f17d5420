using DisaggServing.Protocol.OpenAi;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.Requests;

/// <summary>Reads a request body into a pooled buffer, refusing more than the limit with 413.</summary>
public static class RequestBodyReader
{
    /// <summary>The body of <paramref name="request"/>; throws a 413 <see cref="OpenAiException"/> past <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBuffer> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes) throw TooLarge(maxBytes);
        var buffer = new PooledBuffer((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes + 1));
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0) return buffer;
                buffer.Advance(read);
                if (buffer.Length > maxBytes) throw TooLarge(maxBytes);
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static OpenAiException TooLarge(long maxBytes) =>
        new(413, ErrorResponse.TooLarge($"The request body is larger than this server's limit of {maxBytes} bytes."));
}
