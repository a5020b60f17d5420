namespace DisaggServing.IntegrationTests;

/// <summary>Reads a server-sent-event stream into its <c>data:</c> payloads.</summary>
internal static class Sse
{
    public static async Task<List<string>> ReadAll(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data:", StringComparison.Ordinal))
                events.Add(line[5..].Trim());
        return events;
    }
}
