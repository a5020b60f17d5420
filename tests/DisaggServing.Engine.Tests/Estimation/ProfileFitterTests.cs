using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Estimation;

public class ProfileFitterTests
{
    // The fit moves GEMM and HBM efficiency, step and first-token costs; the constants it leaves alone stay at the start's.
    private static readonly PerformanceConstants Truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with
    {
        GemmEfficiency = 0.45, HbmEfficiency = 0.7, StepSeconds = 2.5e-3, FirstTokenSeconds = 15e-3,
    };

    private static EstimateOptions Load(int concurrency, int isl, int osl) => new()
    {
        Engine = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm, MaxNumSeqs = 256 },
        InputTokens = isl, OutputTokens = osl, Concurrency = concurrency, Requests = 24, Admission = AdmissionPolicy.OnDemand,
    };

    // Synthetic measurements: what the model itself predicts with known constants.
    private static List<MeasuredPoint> Synthetic()
    {
        var loads = new[] { Load(1, 4000, 64), Load(8, 2000, 128), Load(64, 256, 256) };
        var points = new List<MeasuredPoint>();
        foreach (var load in loads)
        {
            var truth = Estimator.Run(load with { Engine = load.Engine with { Constants = Truth } });
            points.Add(new MeasuredPoint($"c{load.Concurrency}", CalibrationMetric.TtftMeanMs, truth.TtftMeanMs!.Value, load));
            points.Add(new MeasuredPoint($"c{load.Concurrency}", CalibrationMetric.ItlMeanMs, truth.ItlMeanMs!.Value, load));
            points.Add(new MeasuredPoint($"c{load.Concurrency}", CalibrationMetric.OutputTokensPerSecond, truth.OutputTokensPerSecond!.Value, load));
        }
        return points;
    }

    [Fact]
    public void The_fit_recovers_known_constants_from_synthetic_measurements()
    {
        var fit = ProfileFitter.Fit(Synthetic());

        Assert.InRange(fit.After.GemmEfficiency, Truth.GemmEfficiency * 0.9, Truth.GemmEfficiency * 1.1);
        Assert.InRange(fit.After.HbmEfficiency, Truth.HbmEfficiency * 0.9, Truth.HbmEfficiency * 1.1);
        Assert.InRange(fit.After.StepSeconds, Truth.StepSeconds * 0.8, Truth.StepSeconds * 1.2);
        Assert.InRange(fit.After.FirstTokenSeconds, Truth.FirstTokenSeconds * 0.8, Truth.FirstTokenSeconds * 1.2);
        Assert.All(fit.Rows, r => Assert.InRange(r.ErrorAfter, -0.02, 0.02));
        Assert.True(fit.Rows.Max(r => Math.Abs(r.ErrorBefore)) > 0.1, "the starting constants should be visibly off, or the test proves nothing");
    }

    [Fact]
    public void Measurements_of_two_engines_cannot_be_fitted_together()
    {
        var points = Synthetic();
        points.Add(points[0] with { Options = points[0].Options with { Engine = points[0].Options.Engine with { Engine = EngineProfiles.Sglang } } });
        var e = Assert.Throws<InputException>(() => ProfileFitter.Fit(points));
        Assert.Contains("one GPU and one engine", e.Message);
    }

    [Fact]
    public void A_profile_file_round_trips_and_refuses_another_gpu()
    {
        var path = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, ProfileFile.From(GpuCatalog.H100Sxm, ServingEngine.Vllm, Truth).ToJson());
            var spec = ProfileFile.Apply(new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm }, path);
            var loaded = spec.EffectiveConstants;
            Assert.Equal((Truth.GemmEfficiency, Truth.HbmEfficiency), (loaded.GemmEfficiency, loaded.HbmEfficiency));
            Assert.Equal(Truth.StepSeconds, loaded.StepSeconds, 12);
            Assert.Equal(Truth.FirstTokenSeconds, loaded.FirstTokenSeconds, 12);
            var e = Assert.Throws<InputException>(() => ProfileFile.Apply(new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H200Sxm, Engine = EngineProfiles.Vllm }, path));
            Assert.Contains("--gpu h100-sxm --engine vllm", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
