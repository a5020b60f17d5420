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

    [Fact]
    public void Vllm_errors_carry_their_status_as_an_integer_code()
    {
        var json = JsonSerializer.Serialize(OpenAiException.Invalid("top_p must be in (0, 1], got 0.", "top_p").Error, JsonDefaults.Options);
        Assert.Equal("""{"error":{"message":"top_p must be in (0, 1], got 0.","type":"BadRequestError","param":"top_p","code":400}}""", json);
    }

    [Fact]
    public void Vllm_kinds_map_to_their_statuses()
    {
        Assert.Equal(400, OpenAiException.Schema("x").Error.DefaultStatus);
        Assert.Equal(400, OpenAiException.Invalid("x").Error.DefaultStatus);
        Assert.Equal(404, OpenAiException.ModelNotFound("m").Error.DefaultStatus);
        Assert.Equal(404, ErrorResponse.RouteNotFound().DefaultStatus);
        Assert.Equal(405, ErrorResponse.MethodNotAllowed().DefaultStatus);
    }
}
