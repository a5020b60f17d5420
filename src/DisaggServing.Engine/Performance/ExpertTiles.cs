namespace DisaggServing.Engine.Performance;

/// <summary>
/// Token tiles of MoE grouped-GEMM kernels that pick their tile by the rows each expert gets (Triton's matmul_ogs for
/// MXFP4 on Hopper, TensorRT-LLM-gen's NVFP4 MoE on Blackwell): the next power of two above the rows, within the
/// kernel's range.
/// </summary>
internal static class ExpertTiles
{
    /// <summary>The smallest power-of-two tile from <paramref name="min"/> (itself a power of two) that covers <paramref name="rows"/>, at most <paramref name="max"/>.</summary>
    public static int Covering(double rows, int min, int max)
    {
        if (min >= max) return max;
        var tile = min;
        while (tile < rows && tile < max) tile <<= 1;
        return Math.Min(tile, max);
    }
}
