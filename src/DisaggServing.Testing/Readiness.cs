using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace DisaggServing.Testing;

/// <summary>
/// Waits for a started app to serve: every process healthy (a process that exits or fails to start ends the wait at
/// once), then the router listing the model on <c>/v1/models</c>. A failure names the resources not ready, their
/// states and their last log lines.
/// </summary>
internal static class Readiness
{
    public static async Task WaitAsync(DistributedApplication app, IReadOnlyList<string> processes, DisaggTestOptions options, string? model,
        ResourceLogTail logs, Stopwatch clock, CancellationToken timeout, CancellationToken caller)
    {
        var notifications = app.ResourceNotifications;
        try
        {
            await Task.WhenAll(processes.Select(name =>
                notifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout))).ConfigureAwait(false);
            await RouterListsModelAsync(app, options, model, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new DisaggStartException(Describe(app, processes, logs, options.RouterResource,
                $"The topology did not serve within {options.StartTimeout} (DisaggTestOptions.StartTimeout; {clock.Elapsed.TotalSeconds:F0} s elapsed)."));
        }
        catch (DistributedApplicationException e)
        {
            throw new DisaggStartException(Describe(app, processes, logs, options.RouterResource, $"A resource stopped while the topology started: {e.Message}"), e);
        }
    }

    private static async Task RouterListsModelAsync(DistributedApplication app, DisaggTestOptions options, string? model, CancellationToken timeout)
    {
        using var client = app.CreateHttpClient(options.RouterResource, "http");
        client.Timeout = options.RequestTimeout;
        while (true)
        {
            try
            {
                var models = await client.GetFromJsonAsync<JsonElement>("/v1/models", timeout).ConfigureAwait(false);
                if (model is null || models.GetProperty("data").EnumerateArray().Any(m => m.GetProperty("id").GetString() == model)) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (JsonException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="headline"/>, then each process that is not healthy with its state and last log lines.</summary>
    private static string Describe(DistributedApplication app, IReadOnlyList<string> processes, ResourceLogTail logs, string router, string headline)
    {
        var text = new StringBuilder(headline);
        var notReady = new List<string>();
        foreach (var name in processes)
        {
            var state = app.ResourceNotifications.TryGetCurrentState(name, out var e) ? e.Snapshot : null;
            if (state?.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy) continue;
            var exit = state?.ExitCode is { } code ? $", exit code {code}" : "";
            var reports = state is null ? "" : string.Concat(state.HealthReports.Where(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                .Select(r => $"; {r.Name}: {r.Description ?? r.Status?.ToString()}"));
            notReady.Add($"{name} ({state?.State?.Text ?? "no state"}{exit}, health {state?.HealthStatus?.ToString() ?? "unknown"}{reports})");
        }

        text.Append(notReady.Count == 0
            ? " Every process is healthy; the router did not list the model on /v1/models."
            : $" Not ready: {string.Join(", ", notReady)}.");
        foreach (var name in notReady.Count == 0 ? [router] : notReady.Select(n => n[..n.IndexOf(' ', StringComparison.Ordinal)]))
            text.Append('\n').Append(logs.Quote(name));
        return text.ToString();
    }
}
