using DisaggServing.Engine.Calibration;

namespace DisaggServing.Engine.Tests.Calibration;

public class StatedFlagsTests
{
    [Fact]
    public void The_derived_flags_and_their_values_are_dropped_and_what_a_figure_states_is_kept()
    {
        var command = "--model openai/gpt-oss-120b --gpu b200 --tp 4 --engine vllm --engine-version 0.11.0 --async-scheduling on "
            + "--max-num-seqs 512 --moe-backend flashinfer-mxfp8 --allreduce-fusion on --attention-dp --workload uniform:819-1024:819-1024 "
            + "--concurrency 4 --requests 40 --measure all --kv-cache-dtype fp8";
        Assert.Equal(
            "--model openai/gpt-oss-120b --gpu b200 --tp 4 --engine vllm --engine-version 0.11.0 --attention-dp --workload uniform:819-1024:819-1024 --concurrency 4 --requests 40",
            string.Join(' ', StatedFlags.Keep(command.Split(' '))));
    }

    [Fact]
    public void Without_the_release_only_the_engine_version_and_its_value_are_dropped()
    {
        var command = "--model openai/gpt-oss-120b --gpu b200 --tp 4 --engine vllm --engine-version 0.11.0 --async-scheduling on --concurrency 4";
        Assert.Equal("--model openai/gpt-oss-120b --gpu b200 --tp 4 --engine vllm --async-scheduling on --concurrency 4",
            string.Join(' ', StatedFlags.WithoutRelease(command.Split(' '))));
    }

    [Fact]
    public void Every_flag_a_printed_command_carries_is_either_stated_by_its_figure_or_derived()
    {
        // What a published figure's setup states; a new flag in the commands must join one list or the other.
        string[] stated =
        [
            "--model", "--gpu", "--tp", "--pp", "--ep", "--attention-dp", "--engine", "--engine-version", "--dtype",
            "--isl", "--osl", "--workload", "--seed", "--concurrency", "--request-rate", "--burstiness", "--offline", "--requests",
            "--speculative-method", "--num-speculative-tokens", "--acceptance-length",
        ];
        var printed = CalibrationSet.Points.SelectMany(p => p.Command.Split(' ').Where(t => t.StartsWith("--", StringComparison.Ordinal))).ToHashSet();
        Assert.All(printed, f => Assert.True(stated.Contains(f) || StatedFlags.Derived.Contains(f), $"{f} is neither stated nor derived"));
        Assert.Empty(stated.Intersect(StatedFlags.Derived));
    }
}
