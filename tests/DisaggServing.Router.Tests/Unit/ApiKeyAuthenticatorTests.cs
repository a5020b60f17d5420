using DisaggServing.Router.Requests;

namespace DisaggServing.Router.Tests.Unit;

public class ApiKeyAuthenticatorTests
{
    [Fact]
    public void Without_keys_everything_passes()
    {
        var auth = new ApiKeyAuthenticator(["", "  "]);
        Assert.False(auth.IsEnabled);
        Assert.True(auth.IsAuthorized(null));
    }

    [Theory]
    [InlineData("Bearer k1", true)]
    [InlineData("bearer k2", true)]
    [InlineData("Bearer  k1 ", true)]
    [InlineData("Bearer k3", false)]
    [InlineData("Bearer k", false)]
    [InlineData("k1", false)]
    [InlineData("Basic k1", false)]
    [InlineData(null, false)]
    public void Bearer_keys_are_checked(string? header, bool ok) =>
        Assert.Equal(ok, new ApiKeyAuthenticator(["k1", "k2"]).IsAuthorized(header));
}
