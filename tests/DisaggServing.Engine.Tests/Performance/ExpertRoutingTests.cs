using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class ExpertRoutingTests
{
    [Theory]
    [InlineData(128, 4)]
    [InlineData(256, 8)]
    [InlineData(8, 2)]
    public void Without_skew_the_hits_are_uniform_routings(int experts, int k)
    {
        foreach (var tokens in new[] { 1.0, 3, 16, 64, 500 })
        {
            var uniform = experts * (1 - Math.Pow(1 - (double)k / experts, tokens));
            Assert.Equal(uniform, ExpertRouting.ExpectedHit(experts, k, tokens, double.PositiveInfinity), 9);
            // A very concentrated Dirichlet is uniform too, up to its sampling of popularity.
            Assert.InRange(ExpertRouting.ExpectedHit(experts, k, tokens, 1e7) / uniform, 0.999, 1.001);
        }
    }

    [Theory]
    [InlineData(128, 4)]
    [InlineData(256, 8)]
    [InlineData(32, 4)]
    public void One_token_hits_exactly_its_k_experts_whatever_the_skew(int experts, int k)
    {
        Assert.Equal(k, ExpertRouting.ExpectedHit(experts, k, 1), 6);
        Assert.Equal(k, ExpertRouting.ExpectedHit(experts, k, 1, 0.5), 6);
    }

    [Fact]
    public void Skewed_routing_hits_fewer_experts_than_uniform_in_mid_sized_batches_and_all_of_them_eventually()
    {
        double previous = 0;
        foreach (var tokens in new[] { 2.0, 4, 8, 16, 32, 64, 128, 256 })
        {
            var skewed = ExpertRouting.ExpectedHit(128, 4, tokens);
            var uniform = ExpertRouting.ExpectedHit(128, 4, tokens, double.PositiveInfinity);
            Assert.True(skewed < uniform, $"{tokens} tokens: {skewed} against {uniform}");
            Assert.True(skewed > previous, "more tokens hit more experts");
            previous = skewed;
        }
        // gpt-oss-120b's 128 experts from 4 to 64 decoding sequences: about 85 more a layer, where uniform routing has 96.
        var added = ExpertRouting.ExpectedHit(128, 4, 64) - ExpertRouting.ExpectedHit(128, 4, 4);
        Assert.InRange(added, 80, 90);
        Assert.InRange(ExpertRouting.ExpectedHit(128, 4, 4096), 127.5, 128);
    }

    [Fact]
    public void Every_expert_routed_is_every_expert()
    {
        Assert.Equal(8, ExpertRouting.ExpectedHit(8, 8, 3));
        Assert.Equal(0, ExpertRouting.ExpectedHit(0, 8, 3));
        Assert.Equal(0, ExpertRouting.ExpectedHit(128, 4, 0));
    }
}
