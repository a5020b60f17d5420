namespace DisaggServing.Worker.Tests;

public class SmokeTests
{
    [Fact]
    public void Entry_point_type_exists() => Assert.NotNull(typeof(Program).Assembly);
}
