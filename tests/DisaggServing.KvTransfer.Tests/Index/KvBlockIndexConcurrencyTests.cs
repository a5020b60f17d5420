using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Tests.Support;

namespace DisaggServing.KvTransfer.Tests.Index;

/// <summary>Lock-free readers against serialized writers: bounded in work, not in time.</summary>
public class KvBlockIndexConcurrencyTests
{
    private const int Writers = 3;
    private const int EnginesPerWriter = 2;
    private const int BatchesPerWriter = 3000;
    private const int Blocks = 64;

    [Fact]
    public async Task Readers_see_only_well_formed_answers_while_writers_churn_and_the_end_state_is_exact()
    {
        var index = new KvBlockIndex();
        var prompt = TestEngines.Hashes(7, Blocks);
        var engines = Enumerable.Range(0, Writers * EnginesPerWriter).Select(e => $"e{e}").ToArray();
        foreach (var engine in engines)
            index.AddEngine(engine);
        var held = new int[engines.Length];
        var writersDone = 0;

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            var sequences = new ulong[EnginesPerWriter];
            for (var i = 0; i < BatchesPerWriter; i++)
            {
                var slot = random.Next(EnginesPerWriter);
                var e = (w * EnginesPerWriter) + slot;
                var target = random.Next(Blocks + 1);
                KvBlockEvent change = target >= held[e]
                    ? KvBlockEvent.Stored(prompt[held[e]..target])
                    : KvBlockEvent.Removed(prompt[target..held[e]]);
                Assert.Equal(PublishOutcome.Applied, index.Publish(engines[e], sequences[slot]++, [change]));
                held[e] = target;
                if (i % 500 == 499)
                {
                    // Churn membership too: the engine leaves and comes back empty.
                    index.RemoveEngine(engines[e]);
                    index.AddEngine(engines[e]);
                    sequences[slot] = 0;
                    held[e] = 0;
                }
            }

            Interlocked.Increment(ref writersDone);
        })).ToArray();

        var lookups = 0L;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var matches = new List<PrefixMatch>();
            var filter = r == 0 ? null : engines.Where((_, i) => i % 2 == 0).ToArray();
            // At least some lookups, then until the writers finish.
            for (var n = 0; n < 2000 || Volatile.Read(ref writersDone) < Writers; n++)
            {
                index.FindLongestPrefix(prompt, matches, filter);
                Assert.True(matches.Count <= (filter?.Length ?? engines.Length));
                Assert.Equal(matches.Count, matches.Select(m => m.EngineId).Distinct().Count());
                foreach (var match in matches)
                {
                    Assert.Contains(match.EngineId, filter ?? engines);
                    Assert.InRange(match.MatchedBlocks, 1, Blocks);
                }

                Interlocked.Increment(ref lookups);
            }
        })).ToArray();

        await Task.WhenAll(writers.Concat(readers)).WaitAsync(TimeSpan.FromMinutes(2));

        var final = new List<PrefixMatch>();
        index.FindLongestPrefix(prompt, final);
        var expected = engines.Select((id, e) => new PrefixMatch(id, held[e])).Where(m => m.MatchedBlocks > 0).ToHashSet();
        Assert.Equal(expected, final.ToHashSet());
        Assert.Equal(held.Sum(), index.IndexedBlocks);
        Assert.True(lookups >= 4000);
    }
}
