using DisaggServing.Router.Requests;

namespace DisaggServing.Router.Proxy;

/// <summary>Reads an engine's response body up to a bound, so a huge or endless answer cannot exhaust the router.</summary>
internal static class UpstreamBody
{
    /// <summary>The body's first bytes, at least <paramref name="maxBytes"/> of them when it is that long.</summary>
    public static async Task<byte[]> ReadAtMostAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new PooledBuffer(4096);
        while (buffer.Length < maxBytes)
        {
            var read = await stream.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
        }
        return buffer.Memory.ToArray();
    }
}
