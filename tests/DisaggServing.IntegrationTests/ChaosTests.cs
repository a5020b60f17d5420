using System.Globalization;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The chaos suite: under a Poisson load of streamed completions, one fault after another on one app — a slow and
/// failing KV link, the KV-transfer service stopped and started, a decode worker drained by SIGTERM, a prefill worker
/// killed, a decode worker killed mid-stream. Every request must end with the text an unfaulted engine gives (the
/// Worker's output is deterministic per prompt and seed) or a clear error, at least 99% with the text, and the
/// surviving workers must be left with no lease and no KV block.
/// </summary>
public sealed class ChaosTests(ChaosFixture fixture, ITestOutputHelper output) : IClassFixture<ChaosFixture>
{
    private const int PerPhase = 40;
    private const double PerSecond = 4;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Sends SIGTERM, as Kubernetes does to a pod it stops (POSIX <c>kill</c>).</summary>
    private static async Task<int> SigTerm(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    [Fact]
    public async Task Under_load_each_fault_loses_no_request_with_a_peer_left_and_leaves_no_lease_or_block()
    {
        var report = Path.Combine(Path.GetTempPath(), "disagg-chaos-report.txt");
        await File.WriteAllTextAsync(report, "fault | completed with correct text | other endings\n");
        var all = new List<ChaosOutcome>();
        var seed = 1000;
        using var reference = fixture.Worker("decode-0"); // survives every fault: the unfaulted engine
        async Task Phase(string fault, Func<int, Task>? during = null, int? maxTokens = null)
        {
            var outcomes = await ChaosLoad.RunAsync(fixture.Router, fixture.Model, seed, PerPhase, PerSecond, during, maxTokens);
            seed += PerPhase;
            var expected = await ChaosLoad.ReferenceAsync(reference, fixture.Model, outcomes.Select(o => o.Request));
            var correct = outcomes.Count(o => o.Text is { } text && text == expected[o.Request] && o.CompletionTokens == o.Request.MaxTokens);
            var wrong = outcomes.Count(o => o.Text is not null) - correct;
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture,
                    $"{fault} | {correct}/{outcomes.Count} ({100.0 * correct / outcomes.Count:F1}%) | {wrong} wrong text, {outcomes.Count(o => o.Error is not null)} errors ({outcomes.Count(o => o.Text is null && !o.ClearError)} unclear)"),
            };
            lines.AddRange(outcomes.Where(o => o.Error is not null).Take(3).Select(o => "  error: " + o.Error));
            foreach (var line in lines) output.WriteLine(line);
            await File.AppendAllLinesAsync(report, lines);

            // Whatever text came back is the unfaulted text: nothing duplicated, missing or re-tokenized differently,
            // and usage counts what the client received; the rest ended with an OpenAI-shaped error, never a cut stream.
            Assert.All(outcomes.Where(o => o.Text is not null), o => Assert.Equal((expected[o.Request], o.Request.MaxTokens), (o.Text, o.CompletionTokens)));
            Assert.All(outcomes.Where(o => o.Text is null), o => Assert.True(o.ClearError, o.Error));
            Assert.True(correct >= 0.95 * outcomes.Count, fault + ": " + lines[0]);
            all.AddRange(outcomes);
        }

        await Phase("none");

        await Fault("prefill-0", new { link_slowdown = 10.0 });
        await Phase("slow + failing KV link", async i =>
        {
            if (i % 8 == 0)
                foreach (var worker in ChaosFixture.Decodes.Concat(ChaosFixture.Prefills))
                    await Fault(worker, new { fail_next_kv_transfer = true });
        });
        await Fault("prefill-0", new { link_slowdown = 1.0 });

        var drainedPid = (await fixture.StateOf("decode-2")).GetProperty("pid").GetInt32();
        await Phase("decode-2 drained (SIGTERM)", async i =>
        {
            if (i == PerPhase / 3) Assert.Equal(0, await SigTerm(drainedPid));
        });
        Assert.Equal(0, await ExitCodeOf("decode-2"));

        await Phase("prefill-1 killed", async i =>
        {
            if (i == PerPhase / 3) await Crash("prefill-1");
        });

        // Long answers, so that streams are running on decode-1 when it dies.
        await Phase("decode-1 killed mid-stream", async i =>
        {
            if (i == PerPhase / 2)
            {
                await WaitUntilRunning("decode-1");
                await Crash("decode-1");
            }
        }, maxTokens: 1000);
        var migration = await MigrationLatency();
        var summary = string.Create(CultureInfo.InvariantCulture, $"migrations: {migration.Count}, mean break → first migrated token {1000 * migration.Mean:F1} ms");
        output.WriteLine(summary);
        await File.AppendAllLinesAsync(report, [summary]);
        // Reported, not asserted: whether a stream is mid-flight on decode-1 when it dies depends on timing; the
        // migration itself is asserted by the router's MigrationTests and the Worker's ContinuationTests.

        // The KV-transfer service stopped under load, then started again: routing degrades to load-only and recovers.
        await fixture.Kit.Faults.StopKvTransferAsync();
        await Phase("KV-transfer service stopped");
        await fixture.Kit.Faults.StartKvTransferAsync();
        await Phase("KV-transfer service restarted");

        Assert.True(all.Count(o => o.Text is not null) >= 0.99 * all.Count, await File.ReadAllTextAsync(report));

        // Nothing is left behind on the survivors.
        foreach (var survivor in new[] { "prefill-0", "decode-0" })
            await WaitForNothingHeld(survivor);
    }

    private async Task Fault(string worker, object fault)
    {
        using var client = fixture.Worker(worker);
        using var response = await client.PostAsJsonAsync("/admin/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    private async Task Crash(string worker)
    {
        try { await Fault(worker, new { crash = true }); }
        catch (HttpRequestException) { } // the process may die before it answers
        Assert.NotEqual(0, await ExitCodeOf(worker));
    }

    private async Task<int?> ExitCodeOf(string resource)
    {
        using var wait = new CancellationTokenSource(ExitTimeout);
        var exited = await fixture.App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), wait.Token);
        return exited.Snapshot.ExitCode;
    }

    private async Task WaitUntilRunning(string worker)
    {
        for (var i = 0; i < 200 && (await fixture.StateOf(worker)).GetProperty("running").GetInt32() == 0; i++)
            await Task.Delay(25);
    }

    private async Task WaitForNothingHeld(string worker)
    {
        var deadline = DateTime.UtcNow + ExitTimeout;
        while (true)
        {
            var state = await fixture.StateOf(worker);
            var (leases, blocks) = (state.GetProperty("leases_open").GetInt32(), state.GetProperty("blocks_used").GetInt32());
            if (leases == 0 && blocks == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"{worker} still holds {leases} leases and {blocks} KV blocks");
            await Task.Delay(200);
        }
    }

    private async Task<(double Count, double Mean)> MigrationLatency()
    {
        var text = await fixture.Router.GetStringAsync("/metrics");
        double Sample(string name) => text.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        var count = Sample(RouterMetricNames.MigrationLatency + "_count");
        return (count, count > 0 ? Sample(RouterMetricNames.MigrationLatency + "_sum") / count : 0);
    }
}
