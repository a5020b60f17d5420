using Aspire.Hosting;

namespace DisaggServing.Hosting.Tests;

/// <summary>Project metadata pointing at the real service projects, as the AppHost's generated Projects.* classes do.</summary>
internal static class FakeProjects
{
    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    public sealed class Worker : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(Root(), "src", "DisaggServing.Worker", "DisaggServing.Worker.csproj");
    }

    public sealed class Router : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(Root(), "src", "DisaggServing.Router", "DisaggServing.Router.csproj");
    }

    public sealed class KvTransfer : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(Root(), "src", "DisaggServing.KvTransfer", "DisaggServing.KvTransfer.csproj");
    }
}
