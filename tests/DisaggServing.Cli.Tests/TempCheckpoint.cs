namespace DisaggServing.Cli.Tests;

/// <summary>A checkpoint directory holding only a Hugging Face config.json, deleted on dispose.</summary>
internal sealed class TempCheckpoint : IDisposable
{
    public TempCheckpoint(string configJson)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hf-config-").FullName;
        File.WriteAllText(Config, configJson);
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>Its config.json.</summary>
    public string Config => Path.Combine(Directory, "config.json");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
