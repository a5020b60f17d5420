using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;
using DisaggServing.Testing;

namespace DisaggServing.Samples.Tests;

public class TopologyTests
{
    // 1024-token prompts, 64-token answers, Poisson arrivals; the SLO: first token within 400 ms, then 30 ms a token.
    private static readonly LoadSpec Traffic = new()
    {
        Workload = WorkloadSpec.Fixed(1024, 64),
        Rate = 4,
        Requests = 24,
        Slo = new SloSpec(ttftMs: 400, tpotMs: 30),
    };

    [Fact]
    public async Task Serves_traffic_and_survives_a_prefill_crash_with_no_request_lost()
    {
        // The AppHost under Aspire.Hosting.Testing, simulated GPUs 20x faster; returns once the router serves.
        await using var app = await DisaggApp.StartAsync<Projects.DisaggServing_AppHost>();

        (await app.RunLoadAsync(Traffic)).AssertNoRequestLost();

        await app.Faults.CrashAsync("prefill-0");
        (await app.RunLoadAsync(Traffic with { Seed = 1 })).AssertNoRequestLost();

        // Every surviving worker freed its KV blocks and leases.
        await app.AssertNoKvLeftAsync();
    }

    [Fact]
    public async Task Ten_thousand_requests_meet_the_slo_on_the_virtual_clock()
    {
        // The same topology, checked and simulated in-process: the same report on every run and machine.
        var topology = await AppHostTopology.ReadAsync<Projects.DisaggServing_AppHost>();
        TopologyAssert.PreflightClean(topology);

        var report = DisaggSimulation.Run(topology, Traffic with { Rate = 10, Requests = 10_000 });

        report.AssertNoRequestLost().AssertSloAttainment(0.99).AssertGoodput(9.5);
    }
}
