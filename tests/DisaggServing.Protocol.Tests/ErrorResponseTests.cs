using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Tests;

public class ErrorResponseTests
{
    [Fact]
    public void Errors_keep_null_param_and_code_as_openai_does()
    {
        var json = JsonSerializer.Serialize(ErrorResponse.Server("boom"), JsonDefaults.Options);
        Assert.Equal("""{"error":{"message":"boom","type":"server_error","param":null,"code":null}}""", json);
    }

    [Theory]
    [InlineData("bad", 400)]
    [InlineData("auth", 401)]
    [InlineData("missing", 404)]
    [InlineData("large", 413)]
    [InlineData("server", 500)]
    public void Each_kind_has_its_status(string kind, int status)
    {
        var error = kind switch
        {
            "bad" => ErrorResponse.BadRequest("x", "messages"),
            "auth" => ErrorResponse.Unauthorized("x"),
            "missing" => ErrorResponse.NotFound("x", "model"),
            "large" => ErrorResponse.TooLarge("x"),
            _ => ErrorResponse.Server("x"),
        };
        Assert.Equal(status, error.DefaultStatus);
    }
}
