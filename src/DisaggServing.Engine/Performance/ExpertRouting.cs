using System.Collections.Concurrent;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// How many distinct routed experts a step's tokens hit. Routers are not uniform: some experts are picked far more
/// often than others, so a batch's picks collide more and touch fewer distinct experts than uniform routing gives, until
/// the batch is large enough to hit them all anyway. The popularity of each expert is taken as drawn from a symmetric
/// Dirichlet of concentration <see cref="Concentration"/> (its marginal a Beta(α, (E−1)α), mean 1/E); a token makes
/// k_eff independent picks by it, k_eff set so that one token hits exactly its k experts (top-k picks without
/// replacement), and T tokens leave an expert unpicked with probability E[(1 − p)^(k_eff·T)], a ratio of gamma
/// functions. With α → ∞ this is uniform routing's E·(1 − (1 − k/E)^T).
/// </summary>
public static class ExpertRouting
{
    /// <summary>
    /// The Dirichlet concentration of expert popularity, α = 3: expert loads vary with a coefficient of variation of
    /// about 1/√α ≈ 0.58, the busiest of 128 experts taking about 2.5× the mean. Routers run unbalanced at inference
    /// (DeepEP measures DeepSeek-V3's per-rank token counts varying widely layer by layer, deepseek-ai/DeepEP#393), and
    /// decode steps read fewer experts than uniform routing gives: TensorRT-LLM's one-GPU gpt-oss-120b on H200
    /// (InferenceMAX) adds about 81 experts a layer's worth of weight reads from 4 to 64 clients where uniform routing
    /// adds 96 (at its HBM rate), which α ≈ 2-3 gives. Over the held-out figures 2-4 do about as well (median 6.38-6.44%,
    /// 6.53% uniform), their gain in random-token serving sweeps of many-expert MoEs at 8 to 256 clients (InferenceMAX's
    /// gpt-oss and DeepSeek-R1, the SGLang cookbook's DeepSeek-R1 and Qwen3), whose decode was modelled 5-15% slow there.
    /// </summary>
    public const double Concentration = 3;

    /// <summary>Expected distinct experts of <paramref name="experts"/> that <paramref name="tokens"/> tokens hit, each picking <paramref name="expertsPerToken"/>.</summary>
    public static double ExpectedHit(int experts, int expertsPerToken, double tokens) =>
        ExpectedHit(experts, expertsPerToken, tokens, Concentration);

    /// <summary>
    /// Expected distinct experts hit when popularity follows a Dirichlet of concentration <paramref name="concentration"/>
    /// (<see cref="double.PositiveInfinity"/>: uniform routing).
    /// </summary>
    public static double ExpectedHit(int experts, int expertsPerToken, double tokens, double concentration)
    {
        if (experts <= 0 || tokens <= 0) return 0;
        var k = Math.Min(expertsPerToken, experts);
        if (k >= experts) return experts;
        if (double.IsPositiveInfinity(concentration)) return experts * (1 - Math.Pow(1 - (double)k / experts, tokens));
        var picks = Picks.GetOrAdd((experts, k, concentration), key => PicksPerToken(key.Experts, key.K, key.Alpha));
        return experts * (1 - UnpickedProbability(experts, concentration, picks * tokens));
    }

    // The picks per token of each (E, k, α) met, solved once.
    private static readonly ConcurrentDictionary<(int Experts, int K, double Alpha), double> Picks = new();

    // E[(1 − p)^s] for p ~ Beta(α, (E−1)α): Γ(Eα)·Γ((E−1)α + s) / (Γ((E−1)α)·Γ(Eα + s)).
    private static double UnpickedProbability(int experts, double alpha, double picks)
    {
        var rest = (experts - 1) * alpha;
        var all = experts * alpha;
        return Math.Exp(LogGamma(all) + LogGamma(rest + picks) - LogGamma(rest) - LogGamma(all + picks));
    }

    // The independent picks a token makes so that it hits k distinct experts on average: the root of
    // E·(1 − E[(1 − p)^x]) = k, which the unpicked probability makes monotone in x (bisection; k ≤ x < E).
    private static double PicksPerToken(int experts, int k, double alpha)
    {
        double low = k, high = Math.Max(k + 1.0, 8.0 * k);
        while (experts * (1 - UnpickedProbability(experts, alpha, high)) < k) high *= 2;
        for (var i = 0; i < 60; i++)
        {
            var mid = 0.5 * (low + high);
            if (experts * (1 - UnpickedProbability(experts, alpha, mid)) < k) low = mid; else high = mid;
        }
        return 0.5 * (low + high);
    }

    // ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: relative error below 1e-13).
    private static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
