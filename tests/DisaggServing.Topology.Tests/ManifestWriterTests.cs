using DisaggServing.Engine;
using DisaggServing.Topology.Manifests;

namespace DisaggServing.Topology.Tests;

public sealed class ManifestWriterTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "disagg-writer-" + Guid.NewGuid().ToString("N"));

    public ManifestWriterTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Publish_writes_every_file_and_leaves_no_staging_directory()
    {
        var output = Path.Combine(root, "out");
        var result = ManifestWriter.Publish(ReferenceTopologies.Get("llama70b-pd"), output);
        Assert.True(result.Written);
        Assert.Equal(result.Files.Order(StringComparer.Ordinal), Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void Publish_refuses_a_topology_with_preflight_errors_and_writes_nothing()
    {
        var output = Path.Combine(root, "out");
        var result = ManifestWriter.Publish(Samples.Pd(8, 2), output);
        Assert.False(result.Written);
        Assert.Contains(result.Preflight.Errors, f => f.RuleId == "nixl-tp-pairing");
        Assert.Empty(result.Files);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Writing_again_replaces_the_whole_directory()
    {
        var output = Path.Combine(root, "out");
        ManifestWriter.Publish(ReferenceTopologies.Get("glm5-lws"), output);
        Assert.True(File.Exists(Path.Combine(output, "vllm-glm5-fp8.yaml")));
        ManifestWriter.Publish(ReferenceTopologies.Get("llama70b-pd"), output);
        Assert.False(File.Exists(Path.Combine(output, "vllm-glm5-fp8.yaml"))); // no stale files from the earlier set
        Assert.True(File.Exists(Path.Combine(output, "prefill.yaml")));
        Assert.Single(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void A_directory_not_written_by_disagg_is_refused_and_left_alone()
    {
        var output = Path.Combine(root, "mine");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "keep me");
        var error = Assert.Throws<InputException>(() => ManifestWriter.Write(ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws")), output));
        Assert.Contains("not written by disagg", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void A_failed_write_keeps_the_previous_set_whole()
    {
        var output = Path.Combine(root, "out");
        ManifestWriter.Publish(ReferenceTopologies.Get("llama70b-pd"), output);
        var before = Directory.GetFiles(output).Select(File.ReadAllText).ToList();
        var broken = new ManifestSet("broken", [.. ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws")).Files, ManifestBuilder.Build(ReferenceTopologies.Get("glm5-lws")).Files[0]]);
        Assert.ThrowsAny<IOException>(() => ManifestWriter.Write(WithBadName(broken), output));
        Assert.Equal(before, Directory.GetFiles(output).Select(File.ReadAllText).ToList());
        Assert.Single(Directory.GetFileSystemEntries(root));
    }

    // A file name that is a directory path fails mid-write, after some files are already staged.
    private static ManifestSet WithBadName(ManifestSet set)
    {
        var bad = typeof(ManifestFile).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)[0]
            .Invoke(["missing-dir/x.yaml", "bad", new List<object>(), "bad"]);
        return set with { Files = [.. set.Files.Take(2), (ManifestFile)bad] };
    }
}
