using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Hosting;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Worker.Tests;

public sealed class WorkerSettingsTests
{
    [Fact]
    public void Defaults_serve_Llama_70B_fp8_on_H100_at_the_smallest_TP_that_fits()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions());

        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct", settings.ModelId);
        Assert.Equal("h100-sxm", settings.Spec.Gpu.Id);
        Assert.Equal(WorkerRole.Both, settings.Role);
        Assert.StartsWith("both-", settings.EngineId);
        Assert.Equal(2, settings.Tp);
        Assert.Equal(32768, settings.MaxModelLen);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.LeaseDuration);
        Assert.Equal(KvLoadFailurePolicy.Recompute, settings.KvLoadFailurePolicy);
        Assert.Equal([0, 1], settings.GpuIndices);
        Assert.Equal("127.0.0.1", settings.AdvertisedHost);
        Assert.Null(settings.KvTransferUrl);
        // vLLM's KV "auto" keeps BF16 with FP8 weights: 80 layers × 2 (K, V) × 8 KV heads × 128 × 2 bytes × 16 tokens.
        Assert.Equal(80L * 2 * 8 * 128 * 2 * 16, settings.RealBytesPerBlock);
        Assert.Equal(settings.RealBytesPerBlock / 2048, settings.PayloadBytesPerBlock);
    }

    [Fact]
    public void Without_an_engine_setting_the_worker_models_vllm_at_its_defaults()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions());

        Assert.Equal(ServingEngine.Vllm, settings.Spec.Engine.Engine);
        Assert.True(settings.Scheduler.EnableChunkedPrefill);
        Assert.Equal(AdmissionPolicy.OnDemand, settings.Scheduler.AdmissionPolicy);
        Assert.Equal((EngineProfiles.Vllm.MaxNumSeqs, EngineProfiles.Vllm.MaxNumBatchedTokens), (settings.Scheduler.MaxNumSeqs, settings.Scheduler.MaxNumBatchedTokens));
    }

    [Fact]
    public void The_engine_version_setting_models_that_releases_defaults_and_a_bad_one_names_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:EngineVersion"] = "v0.11.0" }).Build();
        var settings = WorkerSettings.Resolve(WorkerApp.BindOptions(configuration));
        Assert.True(settings.Spec.SynchronousScheduling);
        Assert.Equal(new EngineRelease(0, 11, 0), settings.Spec.Release);

        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { EngineVersion = "nightly" }));
        Assert.Contains("Worker:EngineVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_setting_selects_that_engines_profile_defaults_and_costs()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Engine"] = "TRTLLM" }).Build();

        var settings = WorkerSettings.Resolve(WorkerApp.BindOptions(configuration));

        Assert.Same(EngineProfiles.Trtllm, settings.Spec.Engine);
        Assert.False(settings.Scheduler.EnableChunkedPrefill);
        Assert.Equal(AdmissionPolicy.ReserveFull, settings.Scheduler.AdmissionPolicy);
        Assert.Equal(EngineProfiles.Trtllm.MaxNumSeqs, settings.Scheduler.MaxNumSeqs);
        Assert.Equal(DType.Fp8, settings.Spec.EffectiveKvDtype); // TensorRT-LLM's KV follows the FP8 checkpoint
        Assert.Equal(PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Trtllm), settings.Spec.EffectiveConstants);
    }

    [Fact]
    public void Explicit_batch_limits_win_over_the_engines_defaults()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions { Engine = "sglang", Tp = 2, MaxNumSeqs = 64, MaxNumBatchedTokens = 2048 });

        Assert.Same(EngineProfiles.Sglang, settings.Spec.Engine);
        Assert.Equal((64, 2048), (settings.Scheduler.MaxNumSeqs, settings.Scheduler.MaxNumBatchedTokens));
    }

    [Fact]
    public void A_cuda_graph_capture_given_is_the_workers_and_a_zero_one_is_refused_naming_its_setting()
    {
        Assert.Equal(2048, WorkerSettings.Resolve(new WorkerOptions { CudaGraphMaxBatch = 2048 }).Spec.EffectiveCudaGraphMaxBatch);
        Assert.Equal(EngineProfiles.Vllm.CudaGraphMaxBatch, WorkerSettings.Resolve(new WorkerOptions()).Spec.EffectiveCudaGraphMaxBatch);
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { CudaGraphMaxBatch = 0 }));
        Assert.Contains("Worker:CudaGraphMaxBatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sglang_worker_serving_a_hybrid_runs_no_more_requests_than_its_state_pool_holds()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions { Engine = "sglang", EngineVersion = "0.5.9", Model = "Qwen/Qwen3.5-35B-A3B", Gpu = "h200-sxm", Tp = 1, Dtype = "bf16" });

        var plan = MemoryModel.Plan(settings.Spec);
        Assert.InRange(plan.StateRunningLimit!.Value, 1, settings.Spec.MaxNumSeqs - 1);
        Assert.Equal(plan.StateRunningLimit, settings.Scheduler.MaxNumSeqs);
        Assert.Equal(0, settings.Scheduler.StateBlocksPerRequest);
    }

    [Fact]
    public void An_unknown_engine_fails_naming_the_setting_and_the_engines_to_use()
    {
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Engine = "tgi" }));

        Assert.Contains("Worker:Engine 'tgi'", error.Message);
        Assert.Contains("use vllm, sglang or trtllm", error.Message);
    }

    [Fact]
    public void Payload_is_never_below_one_byte_per_block()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions { Model = "meta-llama/Llama-3.1-8B-Instruct", KvPayloadScale = 1e-12 });

        Assert.Equal(1, settings.PayloadBytesPerBlock);
    }

    [Fact]
    public void Explicit_settings_are_taken()
    {
        var settings = WorkerSettings.Resolve(new WorkerOptions
        {
            Role = "Decode", EngineId = "d-7", Model = "Qwen/Qwen3-32B", Gpu = "h200-sxm", Tp = 4, Dtype = "bf16", KvCacheDtype = "fp8",
            MaxNumSeqs = 64, MaxNumBatchedTokens = 4096, MaxModelLen = 16384, Node = "n3", GpuIndices = "4,5,6,7", LeaseSeconds = 5,
            KvLoadFailurePolicy = "fail", KvTransferUrl = "http://127.0.0.1:5100", HttpPort = 8001, KvPort = 9001, SpeedFactor = 2,
        });

        Assert.Equal(WorkerRole.Decode, settings.Role);
        Assert.Equal("d-7", settings.EngineId);
        Assert.Equal(4, settings.Tp);
        Assert.Equal(64, settings.Scheduler.MaxNumSeqs);
        Assert.Equal(4096, settings.Scheduler.MaxNumBatchedTokens);
        Assert.Equal([4, 5, 6, 7], settings.GpuIndices);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.LeaseDuration); // 5 wall seconds at SpeedFactor 2
        Assert.Equal(KvLoadFailurePolicy.Fail, settings.KvLoadFailurePolicy);
        Assert.Equal(new Uri("http://127.0.0.1:5100"), settings.KvTransferUrl);
        Assert.Equal((8001, 9001), (settings.HttpPort, settings.KvPort));
    }

    [Fact]
    public void A_modelopt_checkpoint_without_a_kv_format_sizes_its_kv_as_the_fp8_that_vllm_resolves_from_it()
    {
        var declared = WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8" });
        var told = WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8", KvCacheDtype = "bf16", Tp = declared.Spec.TensorParallel });

        Assert.Equal(DType.Fp8, declared.Spec.EffectiveKvDtype);
        Assert.Equal(DType.Bf16, told.Spec.EffectiveKvDtype);
        Assert.Equal(told.RealBytesPerBlock / 2, declared.RealBytesPerBlock);
    }

    [Fact]
    public void A_quantized_checkpoint_runs_in_its_own_format_unless_told_otherwise_and_refuses_another()
    {
        Assert.Equal(DType.Fp8, WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8" }).Spec.WeightDtype);
        Assert.Equal(DType.Fp8, WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8", Dtype = "fp8" }).Spec.WeightDtype);
        Assert.Equal(DType.Bf16, WorkerSettings.Resolve(new WorkerOptions { Dtype = "bf16", Tp = 4 }).Spec.WeightDtype);

        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8", Dtype = "bf16", Tp = 4 }));
        Assert.Contains("Worker:Dtype bf16 conflicts with Worker:Model nvidia/Llama-3.3-70B-Instruct-FP8, whose weights ship in fp8: leave out Worker:Dtype (it implies fp8), or Worker:Model meta-llama/Llama-3.3-70B-Instruct (BF16 weights) for bf16.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_fp8_checkpoint_on_a_gpu_without_fp8_is_refused_with_a_fix_that_does_not_ask_for_bf16_weights_it_cannot_load()
    {
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Model = "nvidia/Llama-3.3-70B-Instruct-FP8", Gpu = "a100-80g", Tp = 4 }));
        Assert.Contains("Worker:Gpu with FP8, or a BF16 checkpoint with Worker:Dtype bf16", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<WorkerOptions, string> Invalid => new()
    {
        { new WorkerOptions { Model = "no/such-model" }, "Worker:Model" },
        { new WorkerOptions { Gpu = "tpu-v5" }, "Worker:Gpu" },
        { new WorkerOptions { Tp = 3 }, "Worker:Tp" },
        { new WorkerOptions { Model = "meta-llama/Llama-3.1-405B-Instruct", Dtype = "bf16", Tp = 1 }, "Worker:Tp" },
        { new WorkerOptions { Role = "router" }, "Worker:Role" },
        { new WorkerOptions { Dtype = "int3" }, "Worker:Dtype" },
        { new WorkerOptions { Gpu = "a100-80g", Dtype = "fp8", Tp = 4 }, "Worker:Dtype" },
        { new WorkerOptions { KvLoadFailurePolicy = "retry" }, "Worker:KvLoadFailurePolicy" },
        { new WorkerOptions { Tp = 2, GpuIndices = "0" }, "Worker:GpuIndices" },
        { new WorkerOptions { MaxModelLen = 1_000_000 }, "Worker:MaxModelLen" },
        { new WorkerOptions { LeaseSeconds = 0 }, "Worker:LeaseSeconds" },
        { new WorkerOptions { KvPayloadScale = 2 }, "Worker:KvPayloadScale" },
        { new WorkerOptions { SpeedFactor = -1 }, "Worker:SpeedFactor" },
        { new WorkerOptions { MaxNumSeqs = 512, MaxNumBatchedTokens = 256 }, "Worker:MaxNumBatchedTokens" },
        { new WorkerOptions { KvTransferUrl = "kvtransfer:5100" }, "Worker:KvTransferUrl" },
        { new WorkerOptions { HttpPort = 70000 }, "Worker:HttpPort" },
        { new WorkerOptions { GpuMemoryUtilization = 1.5 }, "Worker:GpuMemoryUtilization" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_fail_naming_the_setting(WorkerOptions options, string setting)
    {
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(options));

        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_fails_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Tp"] = "two" }).Build();

        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerApp.BindOptions(configuration));

        Assert.Contains("Worker:Tp", error.Message);
    }

    [Fact]
    public void The_app_refuses_to_build_with_a_bad_configuration()
    {
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerApp.Create(["--Worker:Model=nope", "--Worker:HttpPort=0"]));

        Assert.Contains("Worker:Model", error.Message);
    }

    [Fact]
    public void A_profile_file_sets_the_engine_and_its_fitted_constants()
    {
        var path = Path.Combine(Path.GetTempPath(), $"worker-profile-{Guid.NewGuid():N}.json");
        try
        {
            var constants = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Sglang) with { GemmEfficiency = 0.4 };
            File.WriteAllText(path, ProfileFile.From(GpuCatalog.H100Sxm, ServingEngine.Sglang, constants).ToJson());
            // The profile's engine wins over Worker:Engine: its constants were fitted on it.
            var settings = WorkerSettings.Resolve(new WorkerOptions { Gpu = "h100-sxm", Engine = "trtllm", Profile = path });
            Assert.Equal(ServingEngine.Sglang, settings.Spec.Engine.Engine);
            Assert.Equal(0.4, settings.Spec.EffectiveConstants.GemmEfficiency);
            var e = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Gpu = "h200-sxm", Profile = path }));
            Assert.Contains("was fitted on h100-sxm", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Worker_gpu_and_a_profile_files_gpu_may_be_aliases_of_the_same_gpu()
    {
        var path = Path.Combine(Path.GetTempPath(), $"worker-profile-{Guid.NewGuid():N}.json");
        try
        {
            var constants = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Sglang) with { GemmEfficiency = 0.4 };
            File.WriteAllText(path, (ProfileFile.From(GpuCatalog.H100Sxm, ServingEngine.Sglang, constants) with { Gpu = "h100" }).ToJson());
            var settings = WorkerSettings.Resolve(new WorkerOptions { Gpu = "NVIDIA H100 80GB HBM3", Profile = path });
            Assert.Same(GpuCatalog.H100Sxm, settings.Spec.Gpu);
            Assert.Equal(0.4, settings.Spec.EffectiveConstants.GemmEfficiency);
            var e = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Gpu = "h200", Profile = path }));
            Assert.Contains("was fitted on h100", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
