namespace DisaggServing.Testing.Tests;

internal static class Repo
{
    public static string Root([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    public static string File(params string[] parts) => Path.Combine([Root(), .. parts]);
}
