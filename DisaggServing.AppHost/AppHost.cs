using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

// The topology, and nothing else: sizes come from appsettings.json (section "Topology"); any field can be
// overridden on the command line, e.g. `dotnet run --project DisaggServing.AppHost -- --Topology:Decode:Replicas=3`.
var builder = DistributedApplication.CreateBuilder(args);
var topology = builder.Configuration.GetSection("Topology");

WorkerPoolOptions Pool(string role)
{
    var options = new WorkerPoolOptions();
    topology.GetSection("Pool").Bind(options);   // shared by both pools
    topology.GetSection(role).Bind(options);     // per-pool overrides
    return options;
}

var kvTransfer = builder.AddKvTransfer<Projects.DisaggServing_KvTransfer>("kvtransfer");

var prefill = builder.AddPrefillPool<Projects.DisaggServing_Worker>("prefill", Pool("Prefill")).WithKvTransfer(kvTransfer);
var decode = builder.AddDecodePool<Projects.DisaggServing_Worker>("decode", Pool("Decode")).WithKvTransfer(kvTransfer);

builder.AddRouter<Projects.DisaggServing_Router>("router", topology.GetValue("Router:Port", 8000), Pool("Decode").Model)
    .WithPrefill(prefill)
    .WithDecode(decode)
    .WithKvTransfer(kvTransfer)
    .WithRouterUrlBanner();

builder.Build().Run();
