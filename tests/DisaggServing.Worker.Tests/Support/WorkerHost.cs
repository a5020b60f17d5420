using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>
/// A real worker (Kestrel on 127.0.0.1, ephemeral API and KV ports) in the test process. Settings are
/// <c>Worker:*</c> keys without the prefix ("Role=decode"); tests default to Llama-3.1-8B on one H100.
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private WorkerHost(WebApplication app)
    {
        _app = app;
        Settings = app.Services.GetRequiredService<WorkerSettings>();
        Endpoints = app.Services.GetRequiredService<WorkerEndpoints>();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Endpoints.HttpPort}"), Timeout = WaitTimeout };
    }

    public WorkerSettings Settings { get; }

    public WorkerEndpoints Endpoints { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public string EngineId => Settings.EngineId;

    public static async Task<WorkerHost> StartAsync(IEnumerable<string> settings, Action<IServiceCollection>? configureServices = null, params string[] extraArgs)
    {
        var args = new List<string>
        {
            "--Worker:HttpPort=0",
            "--Worker:KvPort=0",
            "--Worker:AdvertisedHost=127.0.0.1",
            "--Worker:Model=meta-llama/Llama-3.1-8B-Instruct",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Error",
        };
        args.AddRange(settings.Select(s => "--Worker:" + s));
        args.AddRange(extraArgs);
        var app = WorkerApp.Create([.. args], configureServices);
        await app.StartAsync().WaitAsync(WaitTimeout);
        return new WorkerHost(app);
    }

    public static Task<WorkerHost> StartAsync(params string[] settings) => StartAsync(settings, null);

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string json, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<WorkerStateView> StateAsync() =>
        (await Http.GetFromJsonAsync<WorkerStateView>("/admin/state", Json.Options))!;

    public Task<string> MetricsAsync() => Http.GetStringAsync("/metrics");

    /// <summary>Polls /admin/state until <paramref name="condition"/> holds (fails after <see cref="WaitTimeout"/>).</summary>
    public async Task<WorkerStateView> WaitForStateAsync(Func<WorkerStateView, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (true)
        {
            var state = await StateAsync();
            if (condition(state))
                return state;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{EngineId}: timed out waiting for {what}; last state {state}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the engine holds no blocks and no leases and runs nothing.</summary>
    public Task<WorkerStateView> WaitDrainedAsync() =>
        WaitForStateAsync(s => s.BlocksUsed == 0 && s.LeasesOpen == 0 && s.Running == 0 && s.Waiting == 0 && s.WaitingForRemoteKv == 0, "0 blocks, 0 leases");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        // Graceful for 10 s, then Kestrel aborts what is left (a connection a test left mid-request must not hang
        // the class's cleanup on a loaded machine); WaitTimeout stays the backstop.
        using (var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await _app.StopAsync(graceful.Token).WaitAsync(WaitTimeout);
        await _app.DisposeAsync();
    }
}
