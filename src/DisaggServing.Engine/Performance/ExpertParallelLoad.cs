namespace DisaggServing.Engine.Performance;

/// <summary>
/// The load of the busiest rank under expert parallelism. Every MoE layer ends in an exchange that waits for all ranks,
/// so a layer takes as long as the rank whose experts the step's tokens hit most: with few tokens the hits scatter
/// unevenly over the ranks (four decode tokens of DeepSeek-R1 hit ~30 of 256 experts, 3.75 a rank on average but ~6 on
/// the busiest of 8), and with many every rank's experts are all hit. Each expert is taken as hit independently with the
/// mean probability the routers' skew gives (<see cref="ExpertRouting"/>: distinct experts hit ÷ E), so a rank's hits
/// are Binomial(E/EP, p) and the busiest rank's the expected maximum of EP of them (approximation: a popular expert is
/// hit more often than the mean, and a simulated router of the same skew puts the busiest rank within 6% of this).
/// </summary>
public static class ExpertParallelLoad
{
    /// <summary>
    /// Expected distinct experts hit on the busiest of <paramref name="expertParallel"/> ranks, each holding
    /// <paramref name="experts"/> ÷ EP of them, when <paramref name="tokens"/> tokens each pick <paramref name="expertsPerToken"/>.
    /// </summary>
    public static double BusiestRankHits(int experts, int expertsPerToken, double tokens, int expertParallel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expertParallel, 1);
        if (experts == 0 || tokens <= 0) return 0;
        var perRank = experts / expertParallel;
        var p = ExpertRouting.ExpectedHit(experts, expertsPerToken, tokens) / experts;
        if (expertParallel == 1 || p >= 1) return perRank * p;
        // E[max of EP i.i.d. Binomial(n, p)] = Σ_{j<n} (1 − F(j)^EP), F the binomial CDF, summed term by term.
        double pmf = Math.Pow(1 - p, perRank), cdf = 0, expectedMax = 0;
        for (var j = 0; j < perRank; j++)
        {
            cdf = Math.Min(1, cdf + pmf);
            if (1 - cdf < 1e-12) break; // the remaining terms vanish
            expectedMax += 1 - Math.Pow(cdf, expertParallel);
            pmf *= (double)(perRank - j) / (j + 1) * p / (1 - p);
        }
        return expectedMax;
    }
}
