using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Protocol;

namespace DisaggServing.IntegrationTests;

/// <summary>Its own app: this class crashes a worker.</summary>
public sealed class FaultTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Requests_complete_after_a_prefill_worker_dies()
    {
        var dead = (await fixture.StateOf("prefill-0")).GetProperty("engine_id").GetString()!;
        var live = (await fixture.StateOf("prefill-1")).GetProperty("engine_id").GetString()!;

        // While both live, the router shares prefill work between them: traffic avoiding prefill-0 later means something.
        var before = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CompleteAsync(100 + i)));
        Assert.True(before.Any(r => r.Prefill == dead), "prefill-0 served none of: " + string.Join(", ", before.AsEnumerable()));

        // The kit's crash returns once Aspire sees the process go: a terminal state, not through a clean exit.
        await fixture.Kit.Faults.CrashAsync("prefill-0");
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("prefill-0", out var exited));
        Assert.Contains(exited.Snapshot.State?.Text, KnownResourceStates.TerminalStates);
        Assert.NotEqual(0, exited.Snapshot.ExitCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => fixture.Worker("prefill-0").GetAsync("/health"));

        // Every request still completes through prefill and decode, and none of them was prefilled by the dead worker
        // (a first try the router makes before it knows is retried on prefill-1).
        var after = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => CompleteAsync(400 + i)));
        Assert.All(after, r =>
        {
            Assert.Equal(HttpStatusCode.OK, r.Status);
            Assert.Equal("pd", r.Route);
            Assert.Equal(live, r.Prefill);
        });

        // By now the router has seen prefill-0 fail (connect error, probe): it sends it nothing more, not even a first try.
        var errors = await fixture.Metric("router", RouterMetricNames.UpstreamErrors, "role=\"prefill\"");
        var retries = await fixture.Metric("router", RouterMetricNames.PrefillRetries);
        var later = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CompleteAsync(800 + i)));
        Assert.All(later, r => Assert.Equal((HttpStatusCode.OK, "pd", live), (r.Status, r.Route, r.Prefill)));
        Assert.Equal(errors, await fixture.Metric("router", RouterMetricNames.UpstreamErrors, "role=\"prefill\""));
        Assert.Equal(retries, await fixture.Metric("router", RouterMetricNames.PrefillRetries));
        Assert.Equal(KnownResourceStates.Running, fixture.App.ResourceNotifications.TryGetCurrentState("prefill-1", out var other) ? other.Snapshot.State?.Text : null);
    }

    private async Task<Outcome> CompleteAsync(int seed)
    {
        using var response = await fixture.Router.PostAsJsonAsync("/v1/completions",
            new { model = fixture.Model, prompt = Prompts.Long(seed), max_tokens = 4 });
        return new Outcome(response.StatusCode, Header(response, HeaderNames.Route), Header(response, HeaderNames.PrefillEngine));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed record Outcome(HttpStatusCode Status, string? Route, string? Prefill);
}
