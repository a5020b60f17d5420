using System.Collections;
using System.Text.Json.Nodes;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Hosting;

namespace DisaggServing.VllmStandIn;

/// <summary>
/// <c>vllm serve …</c> for tests: reads vLLM's argv and environment, writes them to <c>$VLLM_STANDIN_RECORDS/PORT.json</c>
/// (<c>PORT.rankN.json</c> for a headless rank; each request to <c>PORT.requests.jsonl</c>), waits <c>$VLLM_STANDIN_LOAD_SECONDS</c> as if loading a model,
/// and serves as the simulated Worker with vLLM's HTTP surface.
/// </summary>
internal static class StandIn
{
    public static int Main(string[] args)
    {
        VllmServeArgs serve;
        try
        {
            serve = VllmServeArgs.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var records = Environment.GetEnvironmentVariable("VLLM_STANDIN_RECORDS");
        RequestRecorder? recorder = null;
        if (!string.IsNullOrEmpty(records))
        {
            Directory.CreateDirectory(records);
            var env = new JsonObject();
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = (string?)e.Value;
            var record = new JsonObject { ["argv"] = new JsonArray([.. args.Select(a => (JsonNode?)a)]), ["env"] = env, ["pid"] = Environment.ProcessId };
            File.WriteAllText(Path.Combine(records, $"{serve.RecordName}.json"), record.ToJsonString());
            recorder = new RequestRecorder(Path.Combine(records, $"{serve.RecordName}.requests.jsonl"));
        }

        // vLLM opens its port only once the model is loaded; a stand-in can take its time the same way.
        if (double.TryParse(Environment.GetEnvironmentVariable("VLLM_STANDIN_LOAD_SECONDS"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) && load > 0)
            Thread.Sleep(TimeSpan.FromSeconds(load));

        try
        {
            var app = WorkerApp.Create([.. serve.ToWorkerArgs(Environment.GetEnvironmentVariable)]);
            if (recorder is not null) app.Use(recorder.Record);
            app.Run();
            return 0;
        }
        catch (WorkerConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
