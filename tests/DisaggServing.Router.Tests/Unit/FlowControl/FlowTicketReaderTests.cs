using DisaggServing.Protocol.OpenAi;
using DisaggServing.Router.FlowControl;
using DisaggServing.Router.Requests;
using Microsoft.AspNetCore.Http;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

public class FlowTicketReaderTests
{
    private static readonly ManualTime Time = new();

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        return context.Request;
    }

    [Fact]
    public void The_tenant_is_a_digest_of_the_api_key_never_the_key_and_anonymous_without_one()
    {
        var options = new FlowControlOptions();
        var one = FlowTicketReader.Read(Request(("Authorization", "Bearer secret-one")), options, 1, Time).Tenant;
        var two = FlowTicketReader.Read(Request(("Authorization", "Bearer secret-two")), options, 1, Time).Tenant;
        Assert.NotEqual(one, two);
        Assert.DoesNotContain("secret", one);
        Assert.Equal(one, FlowTicketReader.Read(Request(("Authorization", "bearer  secret-one ")), options, 1, Time).Tenant);
        Assert.Equal(FlowTicketReader.Anonymous, FlowTicketReader.Read(Request(), options, 1, Time).Tenant);
    }

    [Fact]
    public void A_configured_tenant_header_wins_over_the_key()
    {
        var options = new FlowControlOptions { TenantHeader = "x-gateway-inference-fairness-id" };
        var ticket = FlowTicketReader.Read(
            Request(("Authorization", "Bearer k"), ("x-gateway-inference-fairness-id", "team-a")), options, 1, Time);
        Assert.Equal("tenant:team-a", ticket.Tenant);
    }

    [Fact]
    public void Priority_and_deadline_come_from_their_headers()
    {
        var ticket = FlowTicketReader.Read(Request(("x-request-priority", "-10"), ("x-request-deadline-ms", "1500")), new FlowControlOptions(), 42, Time);
        Assert.Equal(-10, ticket.Priority);
        Assert.Equal(42, ticket.Bytes);
        Assert.Equal(Time.GetTimestamp() + TimeSpan.FromMilliseconds(1500).Ticks, ticket.Deadline);
        var plain = FlowTicketReader.Read(Request(), new FlowControlOptions(), 1, Time);
        Assert.Equal(0, plain.Priority);
        Assert.Null(plain.Deadline);
    }

    [Theory]
    [InlineData("x-request-priority", "high")]
    [InlineData("x-request-priority", "1001")]
    [InlineData("x-request-priority", "1.5")]
    [InlineData("x-request-deadline-ms", "0")]
    [InlineData("x-request-deadline-ms", "-5")]
    [InlineData("x-request-deadline-ms", "soon")]
    public void A_malformed_header_is_a_400_naming_it(string header, string value)
    {
        var error = Assert.Throws<OpenAiException>(() => FlowTicketReader.Read(Request((header, value)), new FlowControlOptions(), 1, Time));
        Assert.Equal(400, error.Status);
        Assert.Equal(header, error.Error.Error.Param);
        Assert.Contains(header, error.Message);
    }
}
