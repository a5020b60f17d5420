using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class SpeculativeStepTimeTests
{
    private static readonly EngineSpec DeepSeek = new()
    {
        Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Sglang,
    };

    private static readonly EngineSpec Llama = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8 };

    private static BatchShape Verifying(int sequences, int context, int drafts)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1 + drafts, context, isDecode: true);
        return shape;
    }

    private static EstimateResult Estimate(EngineSpec engine, int concurrency) => Estimator.Run(new EstimateOptions
    {
        Engine = engine, InputTokens = 1000, OutputTokens = 400, Concurrency = concurrency, Requests = 2 * concurrency,
    });

    [Fact]
    public void Each_draft_token_costs_a_pass_of_one_layer_and_the_drafters_lm_head_after_the_verifying_step()
    {
        var plain = new StepTimeModel(DeepSeek);
        var shape = Verifying(4, 2000, 3);
        var mtp = new StepTimeModel(DeepSeek with { Speculative = new(SpeculativeMethod.Mtp, 3, 2.5) }).Cost(shape);
        Assert.Equal(plain.Cost(shape).TotalSeconds + mtp.DraftSeconds, mtp.TotalSeconds, 12);
        // Three passes, each more than a 61st of a one-token decode step of the same four sequences (a layer and an LM head),
        // and far less than the step itself.
        var oneTokenStep = plain.Cost(Verifying(4, 2000, 0)).TotalSeconds;
        Assert.InRange(mtp.DraftSeconds, 3 * oneTokenStep / 61, oneTokenStep);
        // More drafts, more passes.
        var five = new StepTimeModel(DeepSeek with { Speculative = new(SpeculativeMethod.Mtp, 5, 2.5) }).Cost(Verifying(4, 2000, 5));
        Assert.True(five.DraftSeconds > mtp.DraftSeconds * 1.5);
    }

    [Fact]
    public void Ngram_drafts_cost_no_gpu_pass_and_an_eagle3_head_reads_a_smaller_lm_head_than_an_eagle_one()
    {
        var shape = Verifying(8, 1000, 3);
        double Draft(SpeculativeMethod method) => new StepTimeModel(Llama with { Speculative = new(method, 3, 2) }).Cost(shape).DraftSeconds;
        Assert.Equal(0, Draft(SpeculativeMethod.Ngram));
        Assert.True(Draft(SpeculativeMethod.Eagle3) < Draft(SpeculativeMethod.Eagle));
        // A prefill-only step drafts nothing.
        var prefill = BatchShape.Of(1000, 0, isDecode: false);
        Assert.Equal(0, new StepTimeModel(Llama with { Speculative = new(SpeculativeMethod.Eagle, 3, 2) }).Cost(prefill).DraftSeconds);
    }

    [Fact]
    public void Vllm_drafting_with_ngram_schedules_synchronously_as_vllm_turns_async_scheduling_off_for_it()
    {
        var vllm = Llama with { Engine = EngineProfiles.Vllm };
        var ngram = vllm with { Speculative = new(SpeculativeMethod.Ngram, 3, 2) };
        var eagle3 = vllm with { Speculative = new(SpeculativeMethod.Eagle3, 3, 2) };
        Assert.True(ngram.SchedulesSynchronously);
        Assert.False(eagle3.SchedulesSynchronously);
        // SGLang turns its overlap off for ngram drafting too, and today's SGLang keeps it for EAGLE-family drafting.
        Assert.True((ngram with { Engine = EngineProfiles.Sglang }).SchedulesSynchronously);
        Assert.False((eagle3 with { Engine = EngineProfiles.Sglang }).SchedulesSynchronously);
        // The synchronous step's host time, as an EAGLE-3 run told --async-scheduling off pays it.
        var shape = Verifying(8, 1000, 3);
        double Overhead(EngineSpec e) => new StepTimeModel(e).Cost(shape).OverheadSeconds;
        Assert.Equal(Overhead(eagle3 with { SynchronousScheduling = true }), Overhead(ngram), 12);
        Assert.True(Overhead(ngram) > Overhead(eagle3));
    }

    [Fact]
    public void Speculation_speeds_a_weight_bound_decode_and_gains_less_as_the_batch_grows_compute_bound()
    {
        var speculative = Llama with { Speculative = new(SpeculativeMethod.Eagle3, 3, 2.5) };
        double Speedup(int clients) => Estimate(speculative, clients).OutputTokensPerSecond!.Value / Estimate(Llama, clients).OutputTokensPerSecond!.Value;
        var one = Speedup(1);
        Assert.Equal("eagle3, 3 draft tokens, acceptance length 2.5", Estimate(speculative, 1).Speculative);
        Assert.Null(Estimate(Llama, 1).Speculative);
        var many = Speedup(256);
        // One client: the verifying step reads the same weights as a plain one, so 2.5 tokens a step come close to 2.5×.
        Assert.InRange(one, 1.6, 2.5);
        // 256 clients: the step computes four times the rows, so the gain shrinks, and may turn into a loss.
        Assert.True(many < one - 0.5);
    }

    [Fact]
    public void Vllm_before_0_11_pays_its_python_drafter_loop_a_pass_and_a_step_and_later_releases_do_not()
    {
        var shape = Verifying(1, 300, 4);
        double Draft(EngineRelease? release) =>
            new StepTimeModel(Llama with { Speculative = new(SpeculativeMethod.Eagle3, 4, 3), Release = release }).Cost(shape).DraftSeconds;
        var today = Draft(null);
        Assert.Equal(4 * EngineProfiles.Vllm.DraftPassSeconds + EngineProfiles.Vllm.SpeculativeStepSeconds, Draft(new EngineRelease(0, 9, 2)) - today, 12);
        Assert.Equal(today, Draft(new EngineRelease(0, 11, 0)), 12);
    }

    [Fact]
    public void Nothing_accepted_makes_speculation_slower_than_decoding_one_token_a_step()
    {
        var rejected = Llama with { Speculative = new(SpeculativeMethod.Eagle, 2, 1) };
        Assert.True(Estimate(rejected, 1).OutputTokensPerSecond!.Value < Estimate(Llama, 1).OutputTokensPerSecond!.Value);
    }

    [Fact]
    public void A_drafter_on_the_gpu_holds_its_layers_weights_and_kv_beside_the_targets_and_ngram_holds_none()
    {
        var plain = MemoryModel.Plan(DeepSeek);
        var mtp = MemoryModel.Plan(DeepSeek with { Speculative = new(SpeculativeMethod.Mtp, 3, 2.5) });
        // One mean layer of 61 (≈ 11 GB of FP8 over 8 ranks) and MTP's 2h × h projection in BF16.
        Assert.InRange(mtp.WeightBytes - plain.WeightBytes, 0.9e9, 2.0e9);
        Assert.Equal(plain.KvBytesPerToken * (1 + 1.0 / 61), mtp.KvBytesPerToken, 6);
        Assert.True(mtp.KvBlocks < plain.KvBlocks);
        var ngram = MemoryModel.Plan(DeepSeek with { Speculative = new(SpeculativeMethod.Ngram, 3, 1.5) });
        Assert.Equal((plain.WeightBytes, plain.KvBlocks), (ngram.WeightBytes, ngram.KvBlocks));
    }

    [Fact]
    public void Mtp_needs_a_checkpoint_with_mtp_layers_and_the_acceptance_length_stays_within_the_drafts()
    {
        var noMtp = Assert.Throws<InputException>(() => (Llama with { Speculative = new(SpeculativeMethod.Mtp, 1, 1.8) }).Validate());
        Assert.Contains("multi-token-prediction", noMtp.Message);
        var tooLong = Assert.Throws<InputException>(() => (DeepSeek with { Speculative = new(SpeculativeMethod.Mtp, 1, 2.5) }).Validate());
        Assert.Contains("--acceptance-length", tooLong.Message);
        (DeepSeek with { Speculative = new(SpeculativeMethod.Mtp, 1, 1.8) }).Validate();
        Assert.Equal(1, ModelCatalog.Get("zai-org/GLM-4.6-FP8").MtpLayers);
        Assert.Equal(SpeculativeMethod.Mtp, SpeculativeDecoding.Parse("NEXTN"));
    }
}
