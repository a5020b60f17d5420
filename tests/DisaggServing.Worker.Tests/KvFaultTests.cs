using DisaggServing.Engine.Performance;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>Injected KV faults under kv_load_failure_policy=recompute: the decoder prefills locally and answers.</summary>
public sealed class KvFaultTests(PdPairFixture pair) : IClassFixture<PdPairFixture>
{
    private WorkerHost Prefill => pair.Prefill;
    private WorkerHost Decode => pair.Decode;

    [Fact]
    public async Task A_failed_pull_on_the_decoder_recomputes_and_releases_the_lease()
    {
        await SetFaultAsync(Decode, new { fail_next_kv_transfer = true });
        Assert.True((await Decode.StateAsync()).FailNextKvTransfer);

        var (status, text, before, after) = await RoundTripAsync("fault-decoder");

        Assert.Equal(200, status);
        Assert.Equal(await ColocatedTextAsync("fault-decoder-colocated", text.Prompt), text.Text);
        Assert.Equal(1, Delta(before, after, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Delta(before, after, "disagg:kv_recomputes_total"));
        Assert.Equal(1, Delta(before, after, "disagg:kv_pulls_total", "outcome=\"failed\""));
        Assert.Equal(0, Delta(before, after, MetricNames.NixlBytesTransferred));
        Assert.False((await Decode.StateAsync()).FailNextKvTransfer);
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_corrupt_block_from_the_prefill_fails_verification_and_recomputes()
    {
        await SetFaultAsync(Prefill, new { fail_next_kv_transfer = true });

        var (status, _, before, after) = await RoundTripAsync("fault-prefill");

        Assert.Equal(200, status);
        Assert.Equal(1, Delta(before, after, MetricNames.NixlNumFailedTransfers));
        Assert.Equal(1, Delta(before, after, "disagg:kv_recomputes_total"));
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_slowed_link_stretches_the_simulated_transfer()
    {
        const double slowdown = 200;
        await SetFaultAsync(Decode, new { link_slowdown = slowdown });
        try
        {
            var (status, text, before, after) = await RoundTripAsync("slow-link");

            Assert.Equal(200, status);
            Assert.Equal(0, Delta(before, after, MetricNames.NixlNumFailedTransfers));
            // Lower bound on the engine clock: the transfer waits at least the modelled EFA time × slowdown, less 2 ms: a
            // Task.Delay on the system TimeProvider runs on the millisecond tick count and returns up to a millisecond
            // before the monotonic clock that times the transfer has run the delay (34 of 200 4-ms delays here, 0.8 ms at worst).
            var model = new KvTransferModel(Decode.Settings.Spec, Decode.Settings.Spec, LinkKind.Efa);
            var minimum = model.TransferSeconds(PromptTokenizer.Instance.Count(text.Prompt)) * slowdown - 0.002;
            var transfer = Delta(before, after, MetricNames.NixlXferTime + "_sum");
            Assert.True(transfer >= minimum, $"transfer of {transfer} s shorter than {minimum} s");
        }
        finally
        {
            await SetFaultAsync(Decode, new { link_slowdown = 1.0 });
        }
        await Prefill.WaitDrainedAsync();
        await Decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task Bad_fault_requests_are_400()
    {
        var unknown = await Decode.PostAsync("/admin/faults", Json.Of(new { explode = true }));
        var badSlowdown = await Decode.PostAsync("/admin/faults", Json.Of(new { link_slowdown = -1 }));
        var badFlag = await Decode.PostAsync("/admin/faults", Json.Of(new { fail_next_kv_transfer = "yes" }));

        Assert.Equal(400, unknown.Status);
        Assert.Equal(400, badSlowdown.Status);
        Assert.Equal(400, badFlag.Status);
        Json.AssertError(unknown.Body, "invalid_request_error");
    }

    private async Task<(int Status, (string Prompt, string Text) Text, string Before, string After)> RoundTripAsync(string tag)
    {
        var prompt = Prompts.Unique(tag);
        var body = Json.Of(new { prompt, max_tokens = 6 });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, tag);
        var before = await Decode.MetricsAsync();
        var (status, response) = await Decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));
        var after = await Decode.MetricsAsync();
        var text = status == 200 ? response.GetProperty("choices")[0].GetProperty("text").GetString()! : "";
        return (status, (prompt, text), before, after);
    }

    private async Task<string> ColocatedTextAsync(string tag, string prompt)
    {
        var (_, body) = await Prefill.PostAsync("/v1/completions", Json.Of(new { prompt, max_tokens = 6 }), PdClient.Headers(tag));
        return body.GetProperty("choices")[0].GetProperty("text").GetString()!;
    }

    internal static async Task SetFaultAsync(WorkerHost worker, object faults)
    {
        var (status, _) = await worker.PostAsync("/admin/faults", Json.Of(faults));
        Assert.Equal(200, status);
    }

    private static double Delta(string before, string after, string name, string? labels = null) =>
        Support.Metrics.Value(after, name, labels) - Support.Metrics.Value(before, name, labels);
}
