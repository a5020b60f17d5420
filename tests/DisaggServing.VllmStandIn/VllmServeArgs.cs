using System.Globalization;
using System.Text.Json;

namespace DisaggServing.VllmStandIn;

/// <summary>
/// <c>vllm serve MODEL [--flag=value | --flag value | --switch]…</c> read as vLLM's argparse reads it, turned into the
/// Worker's settings (<c>Worker:*</c>), with vLLM's NIXL environment: the side channel becomes the Worker's KV port.
/// </summary>
internal sealed class VllmServeArgs
{
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal)
    {
        "--enable-prefix-caching", "--no-enable-prefix-caching", "--headless", "--trust-remote-code", "--enforce-eager",
        "--disable-log-requests", "--enable-chunked-prefill", "--no-enable-chunked-prefill",
    };

    private VllmServeArgs(string model, Dictionary<string, string> flags)
    {
        Model = model;
        Flags = flags;
    }

    public string Model { get; }

    /// <summary>Every flag given, by name (<c>--port</c>); switches map to <c>true</c>.</summary>
    public Dictionary<string, string> Flags { get; }

    public int Port => int.Parse(Flags.GetValueOrDefault("--port", "8000"), CultureInfo.InvariantCulture);

    /// <summary>A headless rank of a multi-node engine (<c>--headless</c>): no API server, so <c>--port</c> is not its own.</summary>
    public bool Headless => Flags.ContainsKey("--headless");

    /// <summary>This process's node rank (<c>--node-rank</c>, 0 when not multi-node).</summary>
    public int NodeRank => int.Parse(Flags.GetValueOrDefault("--node-rank", "0"), CultureInfo.InvariantCulture);

    /// <summary>Where the stand-in records its launch: <c>PORT.json</c>, or <c>PORT.rankN.json</c> for a headless rank sharing the leader's port.</summary>
    public string RecordName => Headless ? $"{Port.ToString(CultureInfo.InvariantCulture)}.rank{NodeRank.ToString(CultureInfo.InvariantCulture)}" : Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses argv; an <see cref="ArgumentException"/> for what vLLM would refuse.</summary>
    public static VllmServeArgs Parse(IReadOnlyList<string> argv)
    {
        if (argv.Count < 2 || argv[0] != "serve") throw new ArgumentException("usage: vllm serve MODEL [options] (only 'serve' is supported)");
        if (argv[1].StartsWith('-')) throw new ArgumentException("vllm serve: the model must come first");
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"vllm serve: unrecognized argument '{arg}'");
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) flags[arg[..eq]] = arg[(eq + 1)..];
            else if (Switches.Contains(arg)) flags[arg] = "true";
            else if (i + 1 < argv.Count) flags[arg] = argv[++i];
            else throw new ArgumentException($"vllm serve: argument {arg}: expected one argument");
        }

        if (flags.TryGetValue("--kv-transfer-config", out var kv))
        {
            using var config = JsonDocument.Parse(kv);
            if (config.RootElement.GetProperty("kv_connector").GetString() != "NixlConnector")
                throw new ArgumentException("stand-in vllm: only NixlConnector is supported");
        }

        if (flags.TryGetValue("--nnodes", out var nnodes) && nnodes != "1")
        {
            // vLLM's multiprocessing multi-node launch: every node needs the rank, and where rank 0 keeps its store.
            foreach (var needed in new[] { "--node-rank", "--master-addr", "--master-port" })
                if (!flags.ContainsKey(needed)) throw new ArgumentException($"vllm serve: --nnodes={nnodes} needs {needed}");
            if ((flags["--node-rank"] != "0") != flags.ContainsKey("--headless"))
                throw new ArgumentException("stand-in vllm: node ranks above 0 run --headless, rank 0 serves");
        }

        return new VllmServeArgs(argv[1], flags);
    }

    /// <summary>The Worker's settings as command-line configuration (<c>--Worker:Tp=2</c>).</summary>
    public List<string> ToWorkerArgs(Func<string, string?> env)
    {
        var quantized = Flags.GetValueOrDefault("--quantization") == "fp8" || Model.Contains("fp8", StringComparison.OrdinalIgnoreCase);
        var settings = new Dictionary<string, string>
        {
            // vLLM has no roles: with NixlConnector (kv_both) one engine prefills for remote decoders and decodes with remote KV.
            ["Role"] = "both",
            ["EngineId"] = $"vllm-{RecordName}",
            ["Model"] = Model,
            ["Gpu"] = env("VLLM_STANDIN_GPU") ?? "h100-sxm",
            ["Tp"] = Flags.GetValueOrDefault("--tensor-parallel-size", "1"),
            ["Pp"] = Flags.GetValueOrDefault("--pipeline-parallel-size", "1"),
            ["Dtype"] = quantized ? "fp8" : "bf16",
            ["GpuMemoryUtilization"] = Flags.GetValueOrDefault("--gpu-memory-utilization", "0.9"),
            ["MaxNumSeqs"] = Flags.GetValueOrDefault("--max-num-seqs", "256"),
            ["MaxNumBatchedTokens"] = Flags.GetValueOrDefault("--max-num-batched-tokens", "8192"),
            // A headless rank binds no API port of its own; the Worker's rank answers /health on any free port.
            ["HttpPort"] = Headless ? "0" : Port.ToString(CultureInfo.InvariantCulture),
            ["KvPort"] = env("VLLM_NIXL_SIDE_CHANNEL_PORT") ?? "0",
            ["AdvertisedHost"] = env("VLLM_NIXL_SIDE_CHANNEL_HOST") ?? "127.0.0.1",
            ["GpuIndices"] = env("CUDA_VISIBLE_DEVICES") ?? "0",
            ["SpeedFactor"] = env("VLLM_STANDIN_SPEED_FACTOR") ?? "20",
        };
        if (Flags.TryGetValue("--max-model-len", out var len)) settings["MaxModelLen"] = len;
        if (Flags.TryGetValue("--kv-cache-dtype", out var kvDtype) && kvDtype != "auto") settings["KvCacheDtype"] = kvDtype == "fp8" ? "fp8" : "bf16";
        var args = settings.Select(s => $"--Worker:{s.Key}={s.Value}").ToList();
        if (Flags.TryGetValue("--nnodes", out var nodes) && nodes != "1")
        {
            // vLLM's multi-node flags are the Worker's group: the same rendezvous, on the leader's --master-port.
            args.Add($"--LWS_GROUP_SIZE={nodes}");
            args.Add($"--LWS_WORKER_INDEX={Flags["--node-rank"]}");
            args.Add($"--LWS_LEADER_ADDRESS={Flags["--master-addr"]}");
            args.Add($"--Worker:MasterPort={Flags["--master-port"]}");
        }

        return args;
    }
}
