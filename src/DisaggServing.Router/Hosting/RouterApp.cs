using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace DisaggServing.Router.Hosting;

/// <summary>Builds the router application (Program.cs and in-process tests use the same path).</summary>
public static class RouterApp
{
    /// <summary>The router, configured from <paramref name="args"/>, appsettings and the environment.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddRouter();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRouter();
        return app;
    }
}
