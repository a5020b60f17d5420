using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DisaggServing.Bench;
using DisaggServing.Topology;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace DisaggServing.Testing;

/// <summary>
/// A topology running under Aspire.Hosting.Testing (the user's AppHost, with <see cref="DisaggTestOptions"/> applied):
/// started with <see cref="StartAsync{TAppHost}"/>, which returns once the router serves; clients bound to the router
/// and the workers, a load runner, <see cref="Faults"/>, and the state checks the assertions use. Dispose it to stop
/// every process.
/// </summary>
public sealed class DisaggApp : IAsyncDisposable
{
    private readonly ResourceLogTail logs;
    private readonly ResourceStateHistory states;

    private DisaggApp(DistributedApplication app, TopologySpec topology, DisaggTestOptions options, ResourceLogTail logs, ResourceStateHistory states, TimeSpan startedIn)
    {
        this.states = states;
        App = app;
        Topology = topology;
        Options = options;
        this.logs = logs;
        StartedIn = startedIn;
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Workers = [.. model.Resources.OfType<WorkerPoolResource>().SelectMany(p => p.Replicas).Select(r => r.Name)];
        Router = CreateHttpClient(options.RouterResource);
        RouterUrl = app.GetEndpoint(options.RouterResource, "http");
        Faults = new DisaggFaults(this);
    }

    /// <summary>The running Aspire application (resource states, endpoints, services).</summary>
    public DistributedApplication App { get; }

    /// <summary>The topology the AppHost built, with the options' overrides applied.</summary>
    public TopologySpec Topology { get; }

    /// <summary>The options the app was started with.</summary>
    public DisaggTestOptions Options { get; }

    /// <summary>From the call to <see cref="StartAsync{TAppHost}"/> to the router serving the model.</summary>
    public TimeSpan StartedIn { get; }

    /// <summary>The worker replicas' resource names (<c>prefill-0</c>, …, <c>decode-1</c>), pool by pool.</summary>
    public IReadOnlyList<string> Workers { get; }

    /// <summary>The model the router serves.</summary>
    public string Model => Topology.ServedModel ?? throw new InvalidOperationException("The topology has no pools.");

    /// <summary>An HTTP client whose base address is the router (timeout: <see cref="DisaggTestOptions.RequestTimeout"/>).</summary>
    public HttpClient Router { get; }

    /// <summary>The router's base URL (OpenAI's API is under <c>/v1</c>).</summary>
    public Uri RouterUrl { get; }

    /// <summary>Faults to inject, each awaited until it took effect.</summary>
    public DisaggFaults Faults { get; }

    /// <summary>
    /// Starts <typeparamref name="TAppHost"/> (a <c>Projects.*</c> type of the referenced AppHost) and returns once every
    /// process is healthy and the router lists the model. A resource that fails to start, or a start slower than
    /// <see cref="DisaggTestOptions.StartTimeout"/>, throws a <see cref="DisaggStartException"/> naming the resources
    /// not ready and quoting their last log lines.
    /// </summary>
    public static async Task<DisaggApp> StartAsync<TAppHost>(DisaggTestOptions? options = null, CancellationToken cancellationToken = default)
        where TAppHost : class
    {
        options ??= new DisaggTestOptions();
        options.Validate();
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        IDistributedApplicationTestingBuilder builder;
        try
        {
            builder = await AppHostTopology.CreateBuilderAsync<TAppHost>(options.ToArgs(), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DisaggStartException($"The AppHost {typeof(TAppHost).Name} did not build its model within {options.StartTimeout} (DisaggTestOptions.StartTimeout).");
        }

        var topology = AppHostTopology.Of(builder);
        DistributedApplication? app = null;
        ResourceLogTail? logs = null;
        ResourceStateHistory? states = null;
        try
        {
            app = await builder.BuildAsync(timeout.Token).ConfigureAwait(false);
            var processes = Processes(app, options);
            logs = new ResourceLogTail(app.Services.GetRequiredService<ResourceLoggerService>(), processes, options.LogLines);
            var names = processes.Select(p => p.Name).ToList();
            states = new ResourceStateHistory(app.ResourceNotifications);
            await app.StartAsync(timeout.Token).ConfigureAwait(false);
            await Readiness.WaitAsync(app, names, options, topology.ServedModel, logs, clock, timeout.Token, cancellationToken).ConfigureAwait(false);
            return new DisaggApp(app, topology, options, logs, states, clock.Elapsed);
        }
        catch
        {
            if (states is not null) await states.DisposeAsync().ConfigureAwait(false);
            if (logs is not null) await logs.DisposeAsync().ConfigureAwait(false);
            if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
            else await builder.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An HTTP client for <paramref name="resource"/>'s <c>http</c> endpoint (timeout: <see cref="DisaggTestOptions.RequestTimeout"/>).</summary>
    public HttpClient CreateHttpClient(string resource)
    {
        var client = App.CreateHttpClient(resource, "http");
        client.Timeout = Options.RequestTimeout;
        return client;
    }

    /// <summary>An OpenAI client whose endpoint is the router's <c>/v1</c>.</summary>
    public OpenAIClient OpenAiClient(string apiKey = "unused") =>
        new(new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri(RouterUrl, "/v1"), NetworkTimeout = Options.RequestTimeout });

    /// <summary>An OpenAI chat client for the served model, through the router.</summary>
    public ChatClient ChatClient(string apiKey = "unused") => OpenAiClient(apiKey).GetChatClient(Model);

    /// <summary>
    /// Offers <paramref name="load"/> to the router with the <c>disagg bench</c> engine and returns its report: TTFT,
    /// TPOT, ITL and end-to-end percentiles (wall time, so divided by <see cref="DisaggTestOptions.SpeedFactor"/>),
    /// SLO attainment, goodput, and failures by kind.
    /// </summary>
    public async Task<BenchReport> RunLoadAsync(LoadSpec load, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        var settings = load.ToBenchSettings(RouterUrl, Model);
        var (outcomes, seconds) = await BenchRunner.RunAsync(settings, progress, cancellationToken).ConfigureAwait(false);
        return BenchReport.Build(settings, outcomes, seconds);
    }

    /// <summary>A worker's <c>GET /admin/state</c>: engine id, role, node, KV blocks used, leases open, faults armed, ….</summary>
    public async Task<JsonElement> StateOfAsync(string worker, CancellationToken cancellationToken = default)
    {
        using var client = CreateHttpClient(worker);
        return await client.GetFromJsonAsync<JsonElement>("/admin/state", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sum of one Prometheus sample over the label sets that contain <paramref name="labelFilter"/> (0 when absent) on <paramref name="resource"/>'s <c>/metrics</c>.</summary>
    public async Task<double> MetricAsync(string resource, string name, string? labelFilter = null, CancellationToken cancellationToken = default)
    {
        using var client = CreateHttpClient(resource);
        var text = await client.GetStringAsync("/metrics", cancellationToken).ConfigureAwait(false);
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length) continue;
            var rest = line[name.Length..];
            if (rest[0] != ' ' && rest[0] != '{') continue;
            if (labelFilter is not null && !rest.Contains(labelFilter, StringComparison.Ordinal)) continue;
            sum += double.Parse(rest[(rest.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        return sum;
    }

    /// <summary>A resource's current state text (<c>Running</c>, <c>Exited</c>, …), or null before it has one.</summary>
    public string? StateText(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var e) ? e.Snapshot.State?.Text : null;

    /// <summary>The last log lines of <paramref name="resource"/> (at most <see cref="DisaggTestOptions.LogLines"/>), oldest first.</summary>
    public IReadOnlyList<string> LastLogLines(string resource) => logs.Of(resource);

    /// <summary>Every state <paramref name="resource"/> has been in since the app started (<c>Starting</c>, <c>Loading model</c>, <c>Running</c>, …), oldest first.</summary>
    public IReadOnlyList<string> StatesSeen(string resource) => states.Of(resource);

    internal string QuoteLogs(string resource) => logs.Quote(resource);

    /// <summary>Stops every process of the topology.</summary>
    public async ValueTask DisposeAsync()
    {
        Router.Dispose();
        await states.DisposeAsync().ConfigureAwait(false);
        await logs.DisposeAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The topology's processes: every worker replica (or engine), the KV-transfer service and the router. Other
    /// resources of the AppHost (Aspire's own helpers among them) are not waited for.
    /// </summary>
    private static List<IResource> Processes(DistributedApplication app, DisaggTestOptions options)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var services = model.Resources.Where(r => r.Name == options.KvTransferResource || r.Name == options.RouterResource);
        return [.. model.Resources.OfType<WorkerPoolResource>().SelectMany(p => p.Replicas).Cast<IResource>().Concat(services)];
    }
}
