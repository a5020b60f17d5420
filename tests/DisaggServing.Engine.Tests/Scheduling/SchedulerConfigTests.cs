using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SchedulerConfigTests
{
    public static TheoryData<SchedulerConfig, string> Invalid => new()
    {
        { new SchedulerConfig { NumGpuBlocks = 10, BlockSize = 0 }, "BlockSize" },
        { new SchedulerConfig { NumGpuBlocks = 0 }, "NumGpuBlocks" },
        { new SchedulerConfig { NumGpuBlocks = 10, MaxNumSeqs = 0 }, "MaxNumSeqs" },
        { new SchedulerConfig { NumGpuBlocks = 10, MaxNumBatchedTokens = 0 }, "MaxNumBatchedTokens" },
        { new SchedulerConfig { NumGpuBlocks = 10, MaxNumBatchedTokens = 100 }, "MaxNumBatchedTokens" },
        { new SchedulerConfig { NumGpuBlocks = 10, LeaseDuration = TimeSpan.Zero }, "LeaseDuration" },
        { new SchedulerConfig { NumGpuBlocks = 10, AdmissionPolicy = (AdmissionPolicy)7 }, "AdmissionPolicy" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_throw_naming_the_field(SchedulerConfig config, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Scheduler(config));
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void Defaults_follow_vllm()
    {
        var config = new SchedulerConfig { NumGpuBlocks = 100 };
        config.Validate();
        Assert.Equal(16, config.BlockSize);
        Assert.Equal(256, config.MaxNumSeqs);
        Assert.Equal(8192, config.MaxNumBatchedTokens);
        Assert.True(config.EnableChunkedPrefill);
        Assert.True(config.EnablePrefixCaching);
        Assert.Equal(TimeSpan.FromSeconds(30), config.LeaseDuration);
        Assert.Equal(AdmissionPolicy.OnDemand, config.AdmissionPolicy);
    }
}
