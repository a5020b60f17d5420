using DisaggServing.KvTransfer.Index;

namespace DisaggServing.KvTransfer.Tests.Index;

/// <summary>Random event streams against a naive model: per engine a set of hashes, a prefix = leading hits.</summary>
public class KvBlockIndexModelTests
{
    private const int Prompts = 6;
    private const int PromptBlocks = 24;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Lookups_agree_with_a_naive_model(int seed)
    {
        var random = new Random(seed);
        var prompts = Enumerable.Range(0, Prompts)
            .Select(_ => Enumerable.Range(0, PromptBlocks).Select(_ => (ulong)random.NextInt64()).ToArray())
            .ToArray();
        var index = new KvBlockIndex();
        var model = new Dictionary<string, HashSet<ulong>>();
        var sequences = new Dictionary<string, ulong>();
        var matches = new List<PrefixMatch>();
        var nextEngine = 0;

        for (var step = 0; step < 400; step++)
        {
            var op = random.Next(100);
            if (model.Count == 0 || op < 5)
            {
                var id = $"e{nextEngine++}";
                index.AddEngine(id);
                model[id] = [];
                continue;
            }

            var engine = model.Keys.ElementAt(random.Next(model.Count));
            var blocks = model[engine];
            if (op < 8)
            {
                Assert.True(index.RemoveEngine(engine));
                model.Remove(engine);
                sequences.Remove(engine);
                continue;
            }

            var sequence = sequences.TryGetValue(engine, out var next) ? next : (ulong)random.Next(1000);
            if (op < 11 && sequences.ContainsKey(engine))
            {
                Assert.Equal(PublishOutcome.ResyncRequired, index.Publish(engine, sequence + 2, [KvBlockEvent.Stored(prompts[0])]));
                blocks.Clear();
                sequences.Remove(engine);
                continue;
            }

            var prompt = prompts[random.Next(Prompts)];
            var events = new List<KvBlockEvent>();
            for (var e = random.Next(1, 4); e > 0; e--)
            {
                var kind = random.Next(10);
                if (kind < 6)
                {
                    var stored = prompt[..random.Next(1, PromptBlocks + 1)];
                    events.Add(KvBlockEvent.Stored(stored));
                    blocks.UnionWith(stored);
                }
                else if (kind < 9)
                {
                    var removed = prompt.Where(_ => random.Next(4) == 0).ToArray();
                    events.Add(KvBlockEvent.Removed(removed));
                    blocks.ExceptWith(removed);
                }
                else
                {
                    events.Add(KvBlockEvent.Cleared());
                    blocks.Clear();
                }
            }

            Assert.Equal(PublishOutcome.Applied, index.Publish(engine, sequence, events.ToArray()));
            sequences[engine] = sequence + 1;

            var query = prompts[random.Next(Prompts)][..random.Next(1, PromptBlocks + 1)];
            var filter = random.Next(3) == 0 ? model.Keys.Where(_ => random.Next(2) == 0).Append("ghost").ToArray() : null;
            index.FindLongestPrefix(query, matches, filter);

            var expected = model
                .Where(m => filter is null || filter.Contains(m.Key))
                .Select(m => new PrefixMatch(m.Key, query.TakeWhile(m.Value.Contains).Count()))
                .Where(m => m.MatchedBlocks > 0)
                .ToHashSet();
            Assert.Equal(expected, matches.ToHashSet());
            Assert.Equal(expected.Count, matches.Count);
            Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.MatchedBlocks >= p.Second.MatchedBlocks), "longest first");
            Assert.Equal(model.Values.Sum(b => (long)b.Count), index.IndexedBlocks);
            Assert.Equal(model.Values.SelectMany(b => b).Distinct().LongCount(), index.DistinctBlocks);
        }
    }
}
