using Aspire.Hosting.Testing;

namespace DisaggServing.Hosting.Tests;

/// <summary>
/// Tests that capture the process-wide <see cref="Console.Error"/>. xUnit runs this collection on its own, after
/// every parallel one, so no other test writes into the capture (or swaps the writer) while it is in place.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

[Collection(ConsoleCollection.Name)]
public class PreflightStderrTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_preflight_error_fails_the_apphost_and_writes_nothing()
    {
        var output = Path.Combine(Path.GetTempPath(), "disagg-publish-" + Guid.NewGuid().ToString("N"));
        // The AppHost prints the findings to stderr and exits 1 before building its application.
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(TextWriter.Synchronized(stderr));
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
                    ["--operation", "publish", "--step", "publish", "--output-path", output, "--Topology:Reference=llama70b-pd", "--Topology:Pools:0:TensorParallel=8"]).WaitAsync(Timeout);
                await using var app = await builder.BuildAsync().WaitAsync(Timeout);
                await app.RunAsync().WaitAsync(Timeout);
            });
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Contains("[nixl-tp-pairing] pool 'decode'", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
