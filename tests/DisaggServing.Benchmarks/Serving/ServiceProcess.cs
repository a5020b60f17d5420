using System.Diagnostics;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// One host (worker, router, YARP proxy) run as its own process with <c>dotnet exec</c>, as in a deployment: its
/// output goes to a log file, <see cref="StartAsync"/> returns once its <c>/health</c> answers 200, and disposing
/// it kills it.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StreamWriter log;
    private bool closed;

    private ServiceProcess(string name, Process process, StreamWriter log, Uri baseUrl)
    {
        Name = name;
        this.process = process;
        this.log = log;
        BaseUrl = baseUrl;
    }

    public string Name { get; }
    public Uri BaseUrl { get; }

    /// <summary>The OS process id (to attach a profiler).</summary>
    public int Pid => process.Id;

    /// <summary>CPU time the process has used so far (user + system): per-request CPU is robust to a noisy machine.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="environment"/> and waits for <c>{baseUrl}/health</c>.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string name, string dll, Uri baseUrl, IReadOnlyDictionary<string, string> environment, string logDirectory, IEnumerable<string>? args = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(dll);
        foreach (var arg in args ?? [])
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log")) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        var service = new ServiceProcess(name, process, log, baseUrl);
        process.OutputDataReceived += (_, e) => service.Write(e.Data);
        process.ErrorDataReceived += (_, e) => service.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitHealthyAsync().ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} while starting; see its log.");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        throw new TimeoutException($"{Name} was not healthy at {BaseUrl}health within {StartTimeout.TotalSeconds} s; see its log.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        lock (log)
        {
            closed = true;
            log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            if (!closed)
                log.WriteLine(line);
        }
    }
}
