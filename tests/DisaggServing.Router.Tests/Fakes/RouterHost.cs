using DisaggServing.Router.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>The router in-process on 127.0.0.1 with an ephemeral port.</summary>
public sealed class RouterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RouterHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Url { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<RouterHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Router:HealthCheckIntervalMs=0",
            "--Router:MetricsScrapeIntervalMs=0",
        };
        foreach (var (key, value) in settings) args.Add($"--{key}={value}");
        var app = RouterApp.Build([.. args]);
        await app.StartAsync();
        return new RouterHost(app, app.Urls.First().TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
