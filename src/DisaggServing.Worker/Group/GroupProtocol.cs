using System.Globalization;
using System.Text;

namespace DisaggServing.Worker.Group;

/// <summary>
/// The rendezvous on the leader's master port, one line each way: a rank sends <c>JOIN size index engine-id</c>, the
/// leader answers <c>OK</c> or <c>ERR reason</c>. The connection then stays open, silent, for the group's life: either
/// side seeing it close knows the other is gone (as torch.distributed's peers do when a rank dies).
/// </summary>
public static class GroupProtocol
{
    /// <summary>Longest line either side reads; anything longer is not this protocol.</summary>
    public const int MaxLine = 512;

    public static string Join(int size, int index, string engineId) =>
        string.Create(CultureInfo.InvariantCulture, $"JOIN {size} {index} {engineId.Replace(' ', '_')}");

    public const string Ok = "OK";

    public static string Error(string reason) => "ERR " + reason.ReplaceLineEndings(" ");

    /// <summary>A JOIN line's fields, or null for anything else.</summary>
    public static (int Size, int Index, string EngineId)? ParseJoin(string? line)
    {
        var parts = line?.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 4 } || parts[0] != "JOIN") return null;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return null;
        return (size, index, parts[3]);
    }

    public static async Task WriteLineAsync(Stream stream, string line, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One line (without its newline); null when the peer closed first or the line is too long.</summary>
    public static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count <= MaxLine)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0) return null;
            if (one[0] == (byte)'\n') return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\r');
            bytes.Add(one[0]);
        }

        return null;
    }

    /// <summary>Completes when the peer closes the connection (or it fails); anything the peer sends is ignored.</summary>
    public static async Task WaitForCloseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the peer: gone all the same.
        }
        catch (OperationCanceledException)
        {
            // This side is stopping.
        }
    }
}
