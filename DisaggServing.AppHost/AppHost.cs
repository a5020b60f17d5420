// The topology, and nothing else. It is bound from the "Topology" configuration section over the reference topology
// that Topology:Reference names (local-70b by default: Llama-3.3-70B FP8, 2 prefill + 2 decode workers of TP=2 on
// simulated p5.48xlarge, router on port 8000, KV-transfer). Any field can be overridden in appsettings.json or on the
// command line, for run and publish alike:
//   dotnet run --project DisaggServing.AppHost -- --Topology:Pools:1:Replicas=3
//   dotnet run --project DisaggServing.AppHost -- --Topology:Local:Engine=Vllm     (real vllm serve on this machine's GPUs)
//   dotnet run --project DisaggServing.AppHost -- --operation publish --step publish --output-path out --Topology:Reference=llama70b-pd
var builder = DistributedApplication.CreateBuilder(args);
try
{
    var topology = builder.BindTopology();

    builder.AddEksEnvironment("eks", topology);

    builder.AddDisaggTopology<Projects.DisaggServing_Worker, Projects.DisaggServing_Router, Projects.DisaggServing_KvTransfer>(topology)
        .WithRouterUrlBanner();
}
catch (DistributedApplicationException e)
{
    // A bad setting, a preflight finding or (Local:Engine=Vllm) GPUs that cannot hold the topology: the message names
    // what is wrong and the fix; no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

builder.Build().Run();
return 0;
