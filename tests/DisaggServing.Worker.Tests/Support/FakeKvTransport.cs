using DisaggServing.Worker.Kv;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>An <see cref="IKvTransport"/> that answers every pull with <see cref="Answer"/> and records what it was asked.</summary>
public sealed class FakeKvTransport(string name, Func<KvTransportPull, KvTransportResult?> answer) : IKvTransport
{
    public string Name => name;

    public List<KvTransportPull> Pulls { get; } = [];

    public TaskCompletionSource<string> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<KvTransportPull, KvTransportResult?> Answer => answer;

    public async Task<KvTransportResult?> PullAsync(KvTransportPull pull, CancellationToken cancellationToken)
    {
        Pulls.Add(pull);
        var result = answer(pull);
        if (result is not null)
        {
            pull.Chosen();
            await pull.WaitLinkTimeAsync(null, 1.0, cancellationToken);
        }
        return result;
    }

    public Task ExtendLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReleaseLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken)
    {
        Released.TrySetResult(leaseId);
        return Task.CompletedTask;
    }
}
