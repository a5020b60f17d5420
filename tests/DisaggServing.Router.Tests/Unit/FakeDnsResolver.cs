using System.Net;
using System.Net.Sockets;
using DisaggServing.Router.Discovery;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>DNS the test sets by hand: a name maps to addresses, to an exception, or is unknown (HostNotFound).</summary>
public sealed class FakeDnsResolver : IDnsResolver
{
    private readonly Dictionary<string, Func<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups { get; private set; }

    public void Set(string host, params string[] addresses)
    {
        lock (_answers) _answers[host] = () => [.. addresses.Select(IPAddress.Parse)];
    }

    public void Fail(string host, SocketError error)
    {
        lock (_answers) _answers[host] = () => throw new SocketException((int)error);
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Func<IPAddress[]>? answer;
        lock (_answers)
        {
            Lookups++;
            answer = _answers.GetValueOrDefault(host);
        }
        return answer is null ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)) : Task.FromResult(answer());
    }
}
