namespace DisaggServing.Topology.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Manifests => Path.Combine(Root, "manifests");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DisaggServing.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("DisaggServing.sln not found above " + AppContext.BaseDirectory);
    }
}
