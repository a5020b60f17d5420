using System.Net.Sockets;
using DisaggServing.Worker.Configuration;

namespace DisaggServing.Worker.Group;

/// <summary>
/// A worker rank (index ≥ 1): joins its leader at <see cref="GroupSettings.LeaderAddress"/>:<see cref="GroupSettings.MasterPort"/>,
/// retrying while the leader starts (for up to <see cref="GroupSettings.JoinTimeout"/>), then holds the connection.
/// When the leader goes, or refuses it, or never answers, the rank ends (<see cref="IGroupExit"/>): under
/// RecreateGroupOnPodRestart the group is recreated whole, so a rank never rejoins a leader on its own.
/// </summary>
public sealed class GroupMember(GroupSettings group, string engineId, IGroupExit exit, TimeProvider time, ILogger<GroupMember> logger) : BackgroundService, IGroupRank
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);

    private volatile bool _joined;

    public bool IsReady => _joined;

    public string Describe() => _joined
        ? $"rank {group.WorkerIndex} joined its leader at {Leader}"
        : $"rank {group.WorkerIndex} joining its leader at {Leader}";

    private string Leader => $"{group.LeaderAddress}:{group.MasterPort}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deadline = time.GetUtcNow() + group.JoinTimeout;
        var retry = FirstRetry;
        string? lastError = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(group.LeaderAddress, group.MasterPort, stoppingToken).ConfigureAwait(false);
                var stream = client.GetStream();
                await GroupProtocol.WriteLineAsync(stream, GroupProtocol.Join(group.Size, group.WorkerIndex, engineId), stoppingToken).ConfigureAwait(false);
                var answer = await GroupProtocol.ReadLineAsync(stream, stoppingToken).ConfigureAwait(false);
                if (answer is not null && answer.StartsWith("ERR ", StringComparison.Ordinal))
                {
                    exit.Exit($"the leader at {Leader} refused rank {group.WorkerIndex}: {answer[4..]}");
                    return;
                }

                if (answer == GroupProtocol.Ok)
                {
                    _joined = true;
                    logger.LogInformation("Rank {Index}: joined the leader at {Leader}", group.WorkerIndex, Leader);
                    await GroupProtocol.WaitForCloseAsync(stream, stoppingToken).ConfigureAwait(false);
                    _joined = false;
                    if (!stoppingToken.IsCancellationRequested) exit.Exit($"rank {group.WorkerIndex} lost its leader at {Leader}");
                    return;
                }

                lastError = "the connection closed before the leader answered";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // The leader is not listening yet (it starts with us), or restarting.
                lastError = e.Message;
            }

            if (time.GetUtcNow() + retry > deadline)
            {
                exit.Exit($"rank {group.WorkerIndex} could not join its leader at {Leader} within {group.JoinTimeout.TotalSeconds:0} s: {lastError}");
                return;
            }

            try
            {
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
        }
    }
}
