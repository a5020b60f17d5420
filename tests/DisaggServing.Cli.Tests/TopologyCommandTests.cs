using System.Text.Json;

namespace DisaggServing.Cli.Tests;

public sealed class TopologyCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "disagg-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static CliRun Run(params string[] args) => CliRun.Of(new FakeEngineRunner(), args);

    [Theory]
    [InlineData("glm5-lws")]
    [InlineData("llama70b-pd")]
    [InlineData("glm5-pd-lws")]
    [InlineData("glm5-pd-ds")]
    public void Preflight_of_a_reference_topology_passes(string name)
    {
        var run = Run("preflight", "--topology", name);
        Assert.Equal(0, run.ExitCode);
        // glm5-lws keeps the seed's stock image, which preflight warns has no aws-ofi-nccl.
        Assert.Contains($"preflight '{name}': 0 error(s), {(name == "glm5-lws" ? 1 : 0)} warning(s)", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Preflight_prints_each_error_and_exits_1()
    {
        var run = Run("preflight", "--topology", "llama70b-pd", "--set", "Pools:0:TensorParallel=8");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error [nixl-tp-pairing] pool 'decode':", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("8 KV heads", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Fix:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Preflight_json_lists_findings_with_rule_pool_and_fix()
    {
        var run = Run("preflight", "--topology", "llama70b-pd", "--set", "KvTransfer:NixlBackend=Ucx", "--json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("errors").GetInt32());
        var finding = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("efa-libfabric", finding.GetProperty("rule").GetString());
        Assert.Equal("prefill", finding.GetProperty("pool").GetString());
        Assert.Contains("Libfabric", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preflight --topology nope", "Unknown topology 'nope'")]
    [InlineData("preflight", "--topology")]
    [InlineData("preflight --topology glm5-lws --set Pools:0:Replicas=many", "did not apply")]
    [InlineData("preflight --topology glm5-lws --set Pools:0:Replicaz=2", "did not apply")]
    [InlineData("preflight --topology glm5-lws --set nonsense", "not KEY=VALUE")]
    [InlineData("manifests --topology glm5-lws", "--output")]
    public void Bad_input_exits_2_naming_the_problem(string commandLine, string named)
    {
        var run = Run(CliRun.Args(commandLine));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(named, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifests_writes_the_files_and_says_how_to_apply_them()
    {
        var output = Path.Combine(root, "glm5");
        var run = Run("manifests", "--topology", "glm5-lws", "--output", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("kubectl apply -k", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("nodepools.yaml", run.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "kustomization.yaml")));
        Assert.True(File.Exists(Path.Combine(output, "vllm-glm5-fp8.yaml")));
    }

    [Fact]
    public void Manifests_applies_overrides()
    {
        var output = Path.Combine(root, "llama");
        var run = Run("manifests", "--topology", "llama70b-pd", "--output", output, "--set", "Engine:EfaImage=registry.example.com/vllm-efa:v0.19.0");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("registry.example.com/vllm-efa:v0.19.0", File.ReadAllText(Path.Combine(output, "decode.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Manifests_refuses_a_topology_with_preflight_errors_and_writes_nothing()
    {
        var output = Path.Combine(root, "bad");
        var run = Run("manifests", "--topology", "llama70b-pd", "--output", output, "--set", "Pools:0:TensorParallel=8");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error [nixl-tp-pairing]", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void Manifests_refuses_a_directory_it_did_not_write()
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "keep.txt"), "x");
        var run = Run("manifests", "--topology", "glm5-lws", "--output", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not written by disagg", run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "keep.txt")));
    }
}
