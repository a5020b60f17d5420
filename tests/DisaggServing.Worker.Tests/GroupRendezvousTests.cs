using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Group;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Worker.Tests;

/// <summary>The group's handshake over real sockets on loopback: a leader and its ranks as the Worker runs them.</summary>
public sealed class GroupRendezvousTests : IAsyncLifetime
{
    // A safety net so a broken handshake fails the test instead of hanging it; nothing is timed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<Microsoft.Extensions.Hosting.BackgroundService> _started = [];

    private sealed class RecordingExit : IGroupExit
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Reasons { get; } = new();

        public Task<string> First => _first.Task;

        public void Exit(string reason)
        {
            Reasons.Enqueue(reason);
            _first.TrySetResult(reason);
        }
    }

    private static GroupSettings Group(int size, int index, int port, TimeSpan? joinTimeout = null) =>
        new() { Size = size, WorkerIndex = index, LeaderAddress = "127.0.0.1", MasterPort = port, JoinTimeout = joinTimeout ?? GroupSettings.DefaultJoinTimeout };

    private async Task<GroupLeader> StartLeader(int size, RecordingExit exit, int port = 0)
    {
        var leader = new GroupLeader(Group(size, 0, port), IPAddress.Loopback, exit, NullLogger<GroupLeader>.Instance);
        await leader.StartAsync(CancellationToken.None);
        _started.Add(leader);
        return leader;
    }

    private async Task<GroupMember> StartMember(int size, int index, int port, RecordingExit exit, TimeSpan? joinTimeout = null)
    {
        var member = new GroupMember(Group(size, index, port, joinTimeout), $"rank-{index}", exit, TimeProvider.System, NullLogger<GroupMember>.Instance);
        await member.StartAsync(CancellationToken.None);
        _started.Add(member);
        return member;
    }

    private static async Task Until(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(20, cts.Token);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task The_leader_is_ready_only_once_every_rank_has_joined()
    {
        var exit = new RecordingExit();
        var leader = await StartLeader(3, exit);
        Assert.False(leader.IsReady);
        Assert.Equal("1/3 ranks joined; waiting for rank 1, 2", leader.Describe());

        var one = await StartMember(3, 1, leader.Port, exit);
        await Until(() => one.IsReady);
        Assert.False(leader.IsReady);
        Assert.Equal("2/3 ranks joined; waiting for rank 2", leader.Describe());

        var two = await StartMember(3, 2, leader.Port, exit);
        await leader.Formed.WaitAsync(Patience);
        await Until(() => two.IsReady);
        Assert.True(leader.IsReady);
        Assert.Equal("3/3 ranks joined", leader.Describe());
        Assert.Empty(exit.Reasons);
    }

    [Fact]
    public async Task A_rank_that_starts_before_its_leader_keeps_trying_until_the_leader_listens()
    {
        var port = FreePort();
        var exit = new RecordingExit();
        var member = await StartMember(2, 1, port, exit);
        await Task.Delay(300); // a few refused connections
        Assert.False(member.IsReady);

        var leader = await StartLeader(2, exit, port);
        await leader.Formed.WaitAsync(Patience);
        await Until(() => member.IsReady);
        Assert.Empty(exit.Reasons);
    }

    [Fact]
    public async Task The_leader_ends_when_a_rank_of_the_formed_group_goes()
    {
        var leaderExit = new RecordingExit();
        var leader = await StartLeader(2, leaderExit);
        var member = await StartMember(2, 1, leader.Port, new RecordingExit());
        await leader.Formed.WaitAsync(Patience);

        await member.StopAsync(CancellationToken.None);

        Assert.Equal("rank 1 (rank-1) left the group", await leaderExit.First.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_rank_ends_when_it_loses_its_leader_rather_than_joining_another()
    {
        var leader = await StartLeader(2, new RecordingExit());
        var memberExit = new RecordingExit();
        var member = await StartMember(2, 1, leader.Port, memberExit);
        await Until(() => member.IsReady);
        var port = leader.Port;

        await leader.StopAsync(CancellationToken.None);

        Assert.Equal($"rank 1 lost its leader at 127.0.0.1:{port}", await memberExit.First.WaitAsync(Patience));
        Assert.False(member.IsReady);
    }

    [Fact]
    public async Task A_rank_the_group_has_no_place_for_is_refused_and_ends_saying_why()
    {
        var leaderExit = new RecordingExit();
        var leader = await StartLeader(3, leaderExit);
        var first = await StartMember(3, 1, leader.Port, new RecordingExit());
        await Until(() => first.IsReady);
        var twin = new RecordingExit();
        var wrongSize = new RecordingExit();

        await StartMember(3, 1, leader.Port, twin);
        await StartMember(2, 1, leader.Port, wrongSize);

        Assert.Contains("refused rank 1: rank 1 has already joined (rank-1)", await twin.First.WaitAsync(Patience), StringComparison.Ordinal);
        Assert.Contains("group size 2 differs from the leader's 3 (LWS_GROUP_SIZE)", await wrongSize.First.WaitAsync(Patience), StringComparison.Ordinal);
        Assert.False(leader.IsReady);
        Assert.Empty(leaderExit.Reasons);
    }

    [Fact]
    public async Task A_rank_whose_leader_never_comes_gives_up_after_its_join_timeout()
    {
        var exit = new RecordingExit();
        var port = FreePort();

        await StartMember(2, 1, port, exit, joinTimeout: TimeSpan.FromMilliseconds(500));

        Assert.StartsWith($"rank 1 could not join its leader at 127.0.0.1:{port} within", await exit.First.WaitAsync(Patience), StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
            service.Dispose();
        }
    }
}
