namespace DisaggServing.Testing.Tests;

public sealed class ReadmeSampleTests
{
    [Fact]
    public void The_readme_test_class_is_the_samples_project_verbatim()
    {
        var readme = File.ReadAllText(Repo.File("README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Repo.File("samples", "DisaggServing.Samples.Tests", "TopologyTests.cs")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + sample + "```\n", readme, StringComparison.Ordinal);
    }
}
