using System.Text.Json;

namespace DisaggServing.Testing;

/// <summary>Assertions on the workers of a running topology.</summary>
public static class KvLeakAssertions
{
    /// <summary>
    /// Every running worker holds 0 leases and 0 KV blocks (KV freed, no transfer left half done). Releases are
    /// asynchronous, so it polls up to <see cref="DisaggTestOptions.FaultTimeout"/>; workers that have exited are skipped.
    /// </summary>
    public static async Task AssertNoKvLeftAsync(this DisaggApp app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var deadline = DateTime.UtcNow + app.Options.FaultTimeout;
        while (true)
        {
            var held = new List<string>();
            foreach (var worker in app.Workers.Where(w => app.StateText(w) == "Running"))
            {
                var state = await app.StateOfAsync(worker, cancellationToken).ConfigureAwait(false);
                var leases = Int(state, "leases_open");
                var blocks = Int(state, "blocks_used");
                if (leases != 0 || blocks != 0) held.Add($"{worker}: {leases} lease(s) open, {blocks} KV block(s) used");
            }

            if (held.Count == 0) return;
            if (DateTime.UtcNow > deadline)
                throw new DisaggAssertionException(
                    $"Workers still hold KV {app.Options.FaultTimeout} after the traffic (DisaggTestOptions.FaultTimeout): {string.Join("; ", held)}. "
                    + "A lease nobody released or blocks nobody freed: look for aborted requests and failed KV transfers in those workers' logs.");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Int(JsonElement state, string name) => state.GetProperty(name).GetInt32();
}
