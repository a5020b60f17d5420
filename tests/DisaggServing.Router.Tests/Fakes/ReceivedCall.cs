using System.Text.Json.Nodes;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>A completion call a fake worker received.</summary>
public sealed record ReceivedCall(string Path, string? RequestId, string? TraceParent, string? Authorization, JsonObject Body)
{
    public bool IsPrefill => Body["kv_transfer_params"]?["do_remote_decode"]?.GetValue<bool>() == true;
}
