using DisaggServing.Worker.Configuration;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Worker.Tests;

public sealed class GroupSettingsTests
{
    private static GroupSettings? Resolve(params (string Key, string Value)[] values) =>
        GroupSettings.Resolve(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void A_worker_outside_a_group_or_in_a_group_of_one_runs_alone()
    {
        Assert.Null(Resolve());
        Assert.Null(Resolve(("LWS_GROUP_SIZE", "1"), ("LWS_WORKER_INDEX", "0")));
    }

    [Fact]
    public void A_rank_reads_what_leaderworkerset_injects_and_the_leaders_master_port()
    {
        var group = Resolve(("LWS_GROUP_SIZE", "2"), ("LWS_WORKER_INDEX", "1"), ("LWS_LEADER_ADDRESS", "glm5-0.glm5.ns"), ("Worker:MasterPort", "29500"));

        Assert.NotNull(group);
        Assert.Equal((2, 1, "glm5-0.glm5.ns", 29500, false), (group.Size, group.WorkerIndex, group.LeaderAddress, group.MasterPort, group.IsLeader));
        Assert.Equal(GroupSettings.DefaultJoinTimeout, group.JoinTimeout);
    }

    [Theory]
    [InlineData("2", null, "127.0.0.1", "29500", "LWS_WORKER_INDEX is missing")]
    [InlineData("2", "2", "127.0.0.1", "29500", "LWS_WORKER_INDEX 2 is outside a group of 2")]
    [InlineData("two", "0", "127.0.0.1", "29500", "LWS_GROUP_SIZE 'two' is not")]
    [InlineData("2", "1", null, "29500", "LWS_LEADER_ADDRESS is missing")]
    [InlineData("2", "1", "127.0.0.1", null, "Worker:MasterPort is missing")]
    [InlineData("2", "1", "127.0.0.1", "70000", "Worker:MasterPort must be a TCP port")]
    public void A_group_it_cannot_join_is_refused_naming_the_variable(string size, string? index, string? leader, string? port, string message)
    {
        var values = new List<(string, string)> { ("LWS_GROUP_SIZE", size) };
        if (index is not null) values.Add(("LWS_WORKER_INDEX", index));
        if (leader is not null) values.Add(("LWS_LEADER_ADDRESS", leader));
        if (port is not null) values.Add(("Worker:MasterPort", port));

        var error = Assert.Throws<WorkerConfigurationException>(() => Resolve([.. values]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_rank_of_a_group_holds_its_share_of_the_replicas_gpus()
    {
        var group = new GroupSettings { Size = 2, WorkerIndex = 1, LeaderAddress = "127.0.0.1", MasterPort = 29500 };
        var options = new WorkerOptions { Tp = 2, Pp = 2 };

        Assert.Equal([0, 1], WorkerSettings.Resolve(options, group).GpuIndices);
        Assert.Equal([0, 1, 2, 3], WorkerSettings.Resolve(options).GpuIndices);
        var error = Assert.Throws<WorkerConfigurationException>(() => WorkerSettings.Resolve(new WorkerOptions { Tp = 2, Pp = 2, GpuIndices = "0,1,2,3" }, group));
        Assert.Contains("Worker:GpuIndices '0,1,2,3' names 4 GPUs but this engine (TP×PP, per group rank) needs 2", error.Message, StringComparison.Ordinal);
    }
}
