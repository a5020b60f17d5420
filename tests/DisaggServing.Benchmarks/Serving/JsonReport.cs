using System.Text.Json;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>Writes a benchmark's JSON report through a temporary file, so a failed run leaves no half-written report.</summary>
internal static class JsonReport
{
    public static async Task WriteAsync<T>(string path, T report, JsonSerializerOptions options)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(report, options)).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"JSON report: {path}");
    }
}
