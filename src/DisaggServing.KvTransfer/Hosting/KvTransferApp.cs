namespace DisaggServing.KvTransfer.Hosting;

/// <summary>The whole host, composed once for Program.cs and for tests that start it for real.</summary>
public static class KvTransferApp
{
    /// <summary>Builds the app: service defaults, the KV-transfer service and its endpoints.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--KvTransfer:GrpcPort=0</c>).</param>
    /// <param name="configure">Last-minute changes to the builder (tests swap the <see cref="TimeProvider"/> here).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddKvTransfer();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapKvTransfer();
        return app;
    }
}
