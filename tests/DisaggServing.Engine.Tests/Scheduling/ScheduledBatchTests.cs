using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class ScheduledBatchTests
{
    [Fact]
    public void A_batch_rebuilt_shorter_shows_only_its_new_sequences()
    {
        var a = new EngineRequest("a", 100, 10);
        var b = new EngineRequest("b", 100, 10);
        var c = new EngineRequest("c", 50, 10);
        var batch = new ScheduledBatch();
        batch.Add(a, 1, 100, true);
        batch.Add(b, 1, 101, true);
        batch.Add(c, 50, 0, false);

        batch.Reset(TimeSpan.FromSeconds(1));
        batch.Add(b, 1, 102, true);

        var only = Assert.Single(batch.Sequences);
        Assert.Equal(new ScheduledSequence(b, 1, 102, true), only);
        Assert.Equal(only, batch[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch[1]);
        Assert.Equal(BatchShape.Of(1, 102, true), batch.Shape);
        Assert.Equal(1, batch.NumScheduledTokens);
    }

    [Fact]
    public void Decodes_and_prefills_sum_to_the_shape_of_adding_each()
    {
        var batch = new ScheduledBatch();
        var expected = new BatchShape();
        (int New, int Context, bool Decode)[] parts = [(1, 300, true), (512, 0, false), (1, 17, true), (7, 40, false), (1, 0, true)];
        var i = 0;
        foreach (var (n, context, decode) in parts)
        {
            batch.Add(new EngineRequest($"r{i++}", 600, 4), n, context, decode);
            expected.Add(n, context, decode);
        }

        Assert.Equal(expected, batch.Shape);
        Assert.Equal(parts.Length, batch.Count);
    }
}
