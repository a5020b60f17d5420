using DisaggServing.Topology.Manifests;

namespace DisaggServing.Topology.Tests;

/// <summary>
/// manifests/&lt;name&gt;/ must be exactly what the reference topologies generate. Run with UPDATE_GOLDEN=1 to
/// rewrite them after an intended change (then review the diff).
/// </summary>
public class GoldenManifestTests
{
    public static TheoryData<string> Names => [.. ReferenceTopologies.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Committed_manifests_match_the_reference_topology(string name)
    {
        var golden = Path.Combine(RepoPaths.Manifests, name);
        var result = ManifestWriter.Publish(ReferenceTopologies.Get(name), Path.Combine(Path.GetTempPath(), "disagg-golden-" + Guid.NewGuid().ToString("N"), name));
        try
        {
            Assert.True(result.Written, string.Join("\n", result.Preflight.Findings));
            if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            {
                if (Directory.Exists(golden)) Directory.Delete(golden, recursive: true);
                Directory.CreateDirectory(golden);
                foreach (var file in Directory.GetFiles(result.Directory)) File.Copy(file, Path.Combine(golden, Path.GetFileName(file)));
                return;
            }

            Assert.True(Directory.Exists(golden), $"{golden} is missing; run the tests with UPDATE_GOLDEN=1 to create it.");
            var expected = Directory.GetFiles(golden).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var actual = Directory.GetFiles(result.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, actual);
            foreach (var file in actual)
            {
                var want = File.ReadAllText(Path.Combine(golden, file!)).ReplaceLineEndings("\n");
                var got = File.ReadAllText(Path.Combine(result.Directory, file!));
                Assert.True(want == got, $"manifests/{name}/{file} differs from what the topology generates; run the tests with UPDATE_GOLDEN=1 and review the diff.\n{FirstDifference(want, got)}");
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(result.Directory)!, recursive: true);
        }
    }

    private static string FirstDifference(string want, string got)
    {
        var (a, b) = (want.Split('\n'), got.Split('\n'));
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var (x, y) = (i < a.Length ? a[i] : "<end>", i < b.Length ? b[i] : "<end>");
            if (x != y) return $"line {i + 1}:\n  committed: {x}\n  generated: {y}";
        }

        return "";
    }
}
