using DisaggServing.Engine.Simulation;

namespace DisaggServing.Engine.Tests.Simulation;

public class SimKvIndexTests
{
    [Fact]
    public void Each_engine_matches_the_leading_blocks_it_holds_up_to_its_first_missing_block()
    {
        var index = new SimKvIndex();
        var a = index.Sink("decode-0");
        var b = index.Sink("decode-1");
        index.Sink("decode-2");
        a.BlockStored([1, 2, 3], null, 16);
        b.BlockStored([1, 3], null, 16);

        Assert.Equal(new Dictionary<string, int> { ["decode-0"] = 3, ["decode-1"] = 1 }, index.FindLongestPrefix([1, 2, 3, 4]));

        a.BlockRemoved([2]);
        Assert.Equal(new Dictionary<string, int> { ["decode-0"] = 1, ["decode-1"] = 1 }, index.FindLongestPrefix([1, 2, 3]));

        b.AllBlocksCleared();
        Assert.Equal(new Dictionary<string, int> { ["decode-0"] = 1 }, index.FindLongestPrefix([1, 2, 3]));
        Assert.Empty(index.FindLongestPrefix([]));
    }
}
