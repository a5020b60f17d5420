using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.IntegrationTests;

/// <summary>Its own app (glm5-lws, simulated): a PP=2 LeaderWorkerSet group run as one process per rank.</summary>
public sealed class LwsGroupTests(LwsAppFixture fixture) : IClassFixture<LwsAppFixture>
{
    private static readonly TimeSpan RecreateTimeout = TimeSpan.FromMinutes(3);

    // A few of the router's 2 s health probes, on a loaded 2-core machine.
    private static readonly TimeSpan RouterRejoinTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Each_rank_gets_the_environment_LeaderWorkerSet_injects_and_finds_its_leader_on_the_leaders_port()
    {
        var leader = fixture.DashboardEnv(LwsAppFixture.Leader);
        var worker = fixture.DashboardEnv(LwsAppFixture.WorkerRank);
        Assert.Equal(("127.0.0.1", "2", "0"), (leader["LWS_LEADER_ADDRESS"], leader["LWS_GROUP_SIZE"], leader["LWS_WORKER_INDEX"]));
        Assert.Equal(("127.0.0.1", "2", "1"), (worker["LWS_LEADER_ADDRESS"], worker["LWS_GROUP_SIZE"], worker["LWS_WORKER_INDEX"]));
        var masterPort = fixture.App.GetEndpoint(LwsAppFixture.Leader, "dist").Port.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(masterPort, leader["Worker__MasterPort"]);
        Assert.Equal(masterPort, worker["Worker__MasterPort"]);
        // Each rank holds its own pipeline stage's GPUs: 8 on each of the group's two nodes.
        Assert.Equal(8, leader["Worker__GpuIndices"]!.Split(',').Length);
        Assert.Equal(8, worker["Worker__GpuIndices"]!.Split(',').Length);
        Assert.NotEqual(leader["Worker__Node"], worker["Worker__Node"]);
    }

    [Fact]
    public async Task Killing_a_worker_rank_recreates_the_whole_group_which_then_serves_again()
    {
        Assert.Equal(HttpStatusCode.OK, await CompleteAsync(1));
        var leaderPid = Pid(LwsAppFixture.Leader);
        var workerPid = Pid(LwsAppFixture.WorkerRank);

        // Every state each rank passes through from here on, as the dashboard shows them.
        var states = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        using var watching = new CancellationTokenSource(RecreateTimeout);
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in fixture.App.ResourceNotifications.WatchAsync(watching.Token))
                    if (e.Snapshot.State?.Text is { } state) states.GetOrAdd(e.Resource.Name, _ => new()).Enqueue(state);
            }
            catch (OperationCanceledException)
            {
            }
        });

        // The rank's process and what it runs (a project runs under `dotnet run`), as a crash or an OOM kill would end it.
        Process.GetProcessById(workerPid).Kill(entireProcessTree: true);

        using (var cts = new CancellationTokenSource(RecreateTimeout))
        try
        {
            // Both ranks come back as new processes, and the leader is ready (every rank joined) again.
            foreach (var (name, old) in new[] { (LwsAppFixture.Leader, leaderPid), (LwsAppFixture.WorkerRank, workerPid) })
            {
                await fixture.App.ResourceNotifications.WaitForResourceAsync(name,
                    e => e.Snapshot.State?.Text == KnownResourceStates.Running && PidOf(e.Snapshot) is { } pid && pid != old, cts.Token);
            }

            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(LwsAppFixture.WorkerRank, cts.Token);
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(LwsAppFixture.Leader, cts.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"The group did not come back. States: {string.Join("; ", states.Select(s => $"{s.Key}: {string.Join(" → ", s.Value)}"))}\n"
                + $"{LwsAppFixture.Leader} logs:\n{await LogsAsync(LwsAppFixture.Leader)}", e);
        }

        await watching.CancelAsync();
        await watch;
        // The leader did not just keep running: the whole group went down and came back, visibly.
        foreach (var name in new[] { LwsAppFixture.Leader, LwsAppFixture.WorkerRank })
        {
            var seen = states.GetValueOrDefault(name)?.ToList() ?? [];
            var down = seen.FindIndex(s => KnownResourceStates.TerminalStates.Contains(s));
            Assert.True(down >= 0, $"{name} never stopped: {string.Join(" → ", seen)}");
            Assert.Contains(KnownResourceStates.Running, seen.Skip(down));
        }

        // The router takes the leader back at its next health probe (every Router:HealthCheckIntervalMs); until then it
        // answers 503, as it must while the group is out of service.
        Assert.Equal(HttpStatusCode.OK, await ServedWithinAsync(RouterRejoinTimeout, seed: 2));
    }

    private async Task<HttpStatusCode> ServedWithinAsync(TimeSpan timeout, int seed)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await CompleteAsync(seed);
            if (status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline) return status;
            await Task.Delay(250);
        }
    }

    private async Task<HttpStatusCode> CompleteAsync(int seed)
    {
        using var response = await fixture.Router.PostAsJsonAsync("/v1/completions",
            new { model = fixture.Model, prompt = Prompts.Long(seed), max_tokens = 4 });
        return response.StatusCode;
    }

    private async Task<string> LogsAsync(string resource)
    {
        var lines = new List<string>();
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.GetAllAsync(fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)))
            lines.AddRange(batch.Select(l => l.Content));
        return string.Join("\n", lines.TakeLast(60));
    }

    private int Pid(string resource)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var state), resource);
        return PidOf(state.Snapshot) ?? throw new InvalidOperationException($"{resource} shows no process id");
    }

    private static int? PidOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
}
