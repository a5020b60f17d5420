using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Hosting;

try
{
    WorkerApp.Create(args).Run();
    return 0;
}
catch (WorkerConfigurationException e)
{
    // A configuration the engine cannot run is the operator's to fix: say which setting, exit non-zero.
    Console.Error.WriteLine(e.Message);
    return 1;
}

/// <summary>Entry point (public for tests that reference the assembly).</summary>
public partial class Program;
