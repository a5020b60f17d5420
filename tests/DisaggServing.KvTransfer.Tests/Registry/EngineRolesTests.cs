using DisaggServing.KvTransfer.Registry;

namespace DisaggServing.KvTransfer.Tests.Registry;

public class EngineRolesTests
{
    [Theory]
    [InlineData("prefill", "prefill")]
    [InlineData("Decode", "decode")]
    [InlineData(" BOTH ", "both")]
    [InlineData("router", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_accepts_the_three_roles_in_any_case(string? role, string? expected) =>
        Assert.Equal(expected, EngineRoles.Normalize(role));

    [Theory]
    [InlineData("prefill", null, true)]
    [InlineData("prefill", "", true)]
    [InlineData("prefill", "prefill", true)]
    [InlineData("prefill", "decode", false)]
    [InlineData("both", "prefill", true)]
    [InlineData("both", "decode", true)]
    [InlineData("decode", "both", false)]
    public void Matches_lets_both_engines_through_prefill_and_decode_filters(string engineRole, string? filter, bool expected) =>
        Assert.Equal(expected, EngineRoles.Matches(engineRole, filter));
}
