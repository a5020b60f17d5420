using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Testing;

/// <summary>
/// Faults for a running topology, aimed at a worker replica by resource name (<c>prefill-0</c>) or at every replica on a
/// virtual node (<c>prefill-node-0</c>, the node the dashboard shows as <c>disagg.node</c>). Each call returns once the
/// fault took effect — the process exited, or the worker reports the fault armed — or throws a
/// <see cref="DisaggAssertionException"/> after <see cref="DisaggTestOptions.FaultTimeout"/>.
/// </summary>
public sealed class DisaggFaults
{
    private const string NodeProperty = "disagg.node";
    private readonly DisaggApp app;

    internal DisaggFaults(DisaggApp app) => this.app = app;

    /// <summary>Kills the worker process(es) at once (no drain); returns when Aspire sees each exit.</summary>
    public async Task CrashAsync(string target, CancellationToken cancellationToken = default)
    {
        foreach (var worker in Resolve(target))
        {
            try
            {
                await PostFaultAsync(worker, new { crash = true }, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // The crash follows the answer, unless the process dies before its answer arrives.
            }

            await WaitForExitAsync(worker, "crash", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends SIGTERM to the worker process(es), as Kubernetes does before it deletes a pod: the worker stops taking
    /// requests and finishes the ones it has. Returns when each process has exited.
    /// </summary>
    public async Task DrainAsync(string target, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("DrainAsync sends SIGTERM, which needs Linux or macOS.");
        foreach (var worker in Resolve(target))
        {
            var pid = ProcessId(worker);
            if (Kill(pid, SigTerm) != 0)
                throw new DisaggAssertionException($"SIGTERM to {worker} (pid {pid}) failed: errno {Marshal.GetLastPInvokeError()}.");
            await WaitForExitAsync(worker, "SIGTERM drain", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Arms the worker(s) to fail the next KV transfer they take part in; returns when <c>/admin/state</c> shows it armed.</summary>
    public Task FailNextKvTransferAsync(string target, CancellationToken cancellationToken = default) =>
        ApplyAsync(target, new { fail_next_kv_transfer = true }, s => s.GetProperty("fail_next_kv_transfer").GetBoolean(), "fail the next KV transfer", cancellationToken);

    /// <summary>Makes the KV link of the worker(s) <paramref name="factor"/> times slower (1 restores it); returns when <c>/admin/state</c> shows it.</summary>
    public Task SlowKvLinkAsync(string target, double factor = 10, CancellationToken cancellationToken = default)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The KV link slowdown must be a positive number (1 = normal speed).");
        return ApplyAsync(target, new { link_slowdown = factor }, s => s.GetProperty("link_slowdown").GetDouble() == factor, $"slow the KV link ×{factor}", cancellationToken);
    }

    /// <summary>Restores the KV link of the worker(s) to normal speed.</summary>
    public Task RestoreKvLinkAsync(string target, CancellationToken cancellationToken = default) => SlowKvLinkAsync(target, 1, cancellationToken);

    /// <summary>Stops the KV-transfer service (SIGTERM; Aspire's stop command where there are no signals); returns when it has stopped.</summary>
    public async Task StopKvTransferAsync(CancellationToken cancellationToken = default)
    {
        var name = app.Options.KvTransferResource;
        // SIGTERM, as Kubernetes stops a pod: Aspire's stop command goes through DCP, which under load can fail to
        // stop a process that holds open gRPC streams, and then leaves it in no known state.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var pid = ProcessId(name);
            if (Kill(pid, SigTerm) != 0)
                throw new DisaggAssertionException($"SIGTERM to {name} (pid {pid}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        else
        {
            await ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, cancellationToken).ConfigureAwait(false);
        }
        await WaitForExitAsync(name, "stop", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the KV-transfer service again; returns when it is healthy. A launch that fails outright is tried once
    /// more, as Kubernetes restarts a container that failed to start: on a loaded machine DCP can fail to launch the
    /// process.
    /// </summary>
    public async Task StartKvTransferAsync(CancellationToken cancellationToken = default)
    {
        var name = app.Options.KvTransferResource;
        for (var attempt = 1; ; attempt++)
        {
            await ExecuteCommandAsync(name, KnownResourceCommands.StartCommand, cancellationToken).ConfigureAwait(false);
            using var timeout = Timeout(cancellationToken);
            try
            {
                await app.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (DistributedApplicationException) when (attempt == 1 && !cancellationToken.IsCancellationRequested)
            {
                // Failed to start: once more.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed(name, "start", $"it is {app.StateText(name) ?? "in no state"}, not healthy");
            }
        }
    }

    /// <summary>
    /// The worker replicas <paramref name="target"/> names: itself when it is a replica, or every replica whose virtual
    /// node it is. Anything else throws an <see cref="ArgumentException"/> listing the replicas and nodes.
    /// </summary>
    public IReadOnlyList<string> Resolve(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (app.Workers.Contains(target, StringComparer.Ordinal)) return [target];
        var nodes = app.Workers.ToDictionary(w => w, NodeOf);
        var onNode = nodes.Where(n => n.Value == target).Select(n => n.Key).ToList();
        if (onNode.Count > 0) return onNode;
        throw new ArgumentException(
            $"'{target}' is neither a worker replica ({string.Join(", ", app.Workers)}) nor a virtual node ({string.Join(", ", nodes.Values.OfType<string>().Distinct().Order(StringComparer.Ordinal))}).",
            nameof(target));
    }

    private string? NodeOf(string worker) =>
        app.App.ResourceNotifications.TryGetCurrentState(worker, out var e)
            ? e.Snapshot.Properties.FirstOrDefault(p => p.Name == NodeProperty)?.Value?.ToString()
            : null;

    private async Task ApplyAsync(string target, object fault, Func<JsonElement, bool> tookEffect, string what, CancellationToken cancellationToken)
    {
        foreach (var worker in Resolve(target))
        {
            var state = await PostFaultAsync(worker, fault, cancellationToken).ConfigureAwait(false);
            if (!tookEffect(state))
                throw Failed(worker, what, $"/admin/state answered {state}");
        }
    }

    private async Task<JsonElement> PostFaultAsync(string worker, object fault, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient(worker);
        using var response = await client.PostAsJsonAsync("/admin/faults", fault, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new DisaggAssertionException($"POST /admin/faults on {worker} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task ExecuteCommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken).ConfigureAwait(false);
        if (!result.Success)
            throw new DisaggAssertionException($"Aspire's {command} command on {resource} failed: {result.Message}");
    }

    private async Task WaitForExitAsync(string resource, string what, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(cancellationToken);
        try
        {
            await app.App.ResourceNotifications.WaitForResourceAsync(resource,
                e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(resource, what, $"it is still {app.StateText(resource) ?? "in no state"}");
        }
    }

    private int ProcessId(string resource)
    {
        if (app.App.ResourceNotifications.TryGetCurrentState(resource, out var e)
            && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            && int.TryParse(value.ToString(), out var pid))
            return pid;
        throw new DisaggAssertionException($"{resource} has no process id (state {app.StateText(resource) ?? "none"}): is it running?");
    }

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(app.Options.FaultTimeout);
        return source;
    }

    private DisaggAssertionException Failed(string resource, string what, string why) =>
        new($"Fault '{what}' on {resource} did not take effect within {app.Options.FaultTimeout} (DisaggTestOptions.FaultTimeout): {why}.\n{app.QuoteLogs(resource)}");

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
