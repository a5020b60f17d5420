using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DisaggServing.Worker.Configuration;

namespace DisaggServing.Worker.Group;

/// <summary>
/// Rank 0 of a group: takes the other ranks' joins on the master port, is ready once all <see cref="GroupSettings.Size"/>
/// ranks are in, and ends the process (<see cref="IGroupExit"/>) when a rank of the formed group goes away. A rank that
/// leaves before the group formed may join again.
/// </summary>
public sealed class GroupLeader(GroupSettings group, IPAddress bind, IGroupExit exit, ILogger<GroupLeader> logger) : BackgroundService, IGroupRank
{
    private static readonly TimeSpan JoinLineTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<int, string> _ranks = new();
    private readonly TaskCompletionSource _formed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpListener? _listener;

    /// <summary>The port joins are taken on (the master port; the one bound when that is 0, in tests).</summary>
    public int Port => ((IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndpoint).Port;

    /// <summary>Completes when every rank has joined.</summary>
    public Task Formed => _formed.Task;

    public bool IsReady => _formed.Task.IsCompleted;

    public string Describe()
    {
        var missing = Enumerable.Range(1, group.Size - 1).Where(i => !_ranks.ContainsKey(i)).ToList();
        var joined = string.Create(CultureInfo.InvariantCulture, $"{group.Size - missing.Count}/{group.Size} ranks joined");
        return missing.Count == 0 ? joined : $"{joined}; waiting for rank {string.Join(", ", missing)}";
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bound before the host reports started, so the port is taken (or the start fails) before anyone is told to join.
        _listener = new TcpListener(bind, group.MasterPort);
        _listener.Start();
        logger.LogInformation("Group leader: waiting for {Ranks} rank(s) on port {Port}", group.Size - 1, Port);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stoppingToken.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using (client)
        {
            var stream = client.GetStream();
            int index;
            string engineId;
            try
            {
                using var joinWait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                joinWait.CancelAfter(JoinLineTimeout);
                var join = GroupProtocol.ParseJoin(await GroupProtocol.ReadLineAsync(stream, joinWait.Token).ConfigureAwait(false));
                if (join is null)
                {
                    await GroupProtocol.WriteLineAsync(stream, GroupProtocol.Error("expected JOIN size index engine-id"), stoppingToken).ConfigureAwait(false);
                    return;
                }

                (var size, index, engineId) = join.Value;
                var refusal = size != group.Size ? string.Create(CultureInfo.InvariantCulture, $"group size {size} differs from the leader's {group.Size} (LWS_GROUP_SIZE)")
                    : index < 1 || index >= group.Size ? string.Create(CultureInfo.InvariantCulture, $"worker index {index} is not a worker of a group of {group.Size} (LWS_WORKER_INDEX 1-{group.Size - 1})")
                    : !_ranks.TryAdd(index, engineId) ? string.Create(CultureInfo.InvariantCulture, $"rank {index} has already joined ({_ranks.GetValueOrDefault(index)})")
                    : null;
                if (refusal is not null)
                {
                    logger.LogWarning("Group leader: refused a join from {Remote}: {Reason}", client.Client.RemoteEndPoint, refusal);
                    await GroupProtocol.WriteLineAsync(stream, GroupProtocol.Error(refusal), stoppingToken).ConfigureAwait(false);
                    return;
                }

                await GroupProtocol.WriteLineAsync(stream, GroupProtocol.Ok, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                return;
            }

            logger.LogInformation("Group leader: rank {Index} ({EngineId}) joined; {State}", index, engineId, Describe());
            if (_ranks.Count == group.Size - 1 && _formed.TrySetResult())
                logger.LogInformation("Group leader: all {Size} ranks joined, ready to serve", group.Size);

            await GroupProtocol.WaitForCloseAsync(stream, stoppingToken).ConfigureAwait(false);
            _ranks.TryRemove(index, out _);
            if (stoppingToken.IsCancellationRequested) return;
            if (IsReady)
                exit.Exit(string.Create(CultureInfo.InvariantCulture, $"rank {index} ({engineId}) left the group"));
            else
                logger.LogWarning("Group leader: rank {Index} ({EngineId}) left before the group formed; it may join again", index, engineId);
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
