using System.Runtime.CompilerServices;

namespace DisaggServing.Protocol.Tests;

/// <summary>Golden files under Golden/Pd, compared as text; UPDATE_GOLDEN=1 rewrites them in the source tree.</summary>
internal static class Golden
{
    private static string Directory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", "Pd");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory(), name));

    public static void AssertText(string name, string actual)
    {
        var path = Path.Combine(Directory(), name);
        actual = actual.ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"Golden file {name} is missing; run with UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
