using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>The host assemblies the serving benchmarks start (paths baked in at build time) and free loopback ports.</summary>
internal static class ServiceHosts
{
    public static string WorkerDll => Find("WorkerDll");
    public static string RouterDll => Find("RouterDll");

    /// <summary>This assembly: it also hosts the YARP baseline (<c>yarp-proxy</c> mode).</summary>
    public static string BenchmarksDll => typeof(ServiceHosts).Assembly.Location;

    /// <summary>A port the OS says is free now (bound to 0, read, released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Find(string key)
    {
        var path = typeof(ServiceHosts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"{key} is not recorded in this build.");
        path = Path.GetFullPath(path);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution in the same configuration first.", path);
    }
}
