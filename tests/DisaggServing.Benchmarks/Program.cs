using BenchmarkDotNet.Running;
using DisaggServing.Benchmarks.Serving;

// Serving benchmarks (processes on loopback) by name; anything else goes to BenchmarkDotNet's switcher.
try
{
    return args.FirstOrDefault() switch
    {
        "overhead" => await OverheadBenchmark.RunAsync(args[1..]),
        "yarp-proxy" => await YarpProxy.RunAsync(args[1..]),
        "kv" => await KvTransferBenchmark.RunAsync(args[1..]),
        "kv-events" => await DisaggServing.Benchmarks.KvEventsBenchmark.RunAsync(args[1..]),
        "flow-overload" => await FlowOverloadBenchmark.RunAsync(args[1..]),
        _ => Run(args),
    };
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
