namespace DisaggServing.Engine.Workloads;

/// <summary>Every request has the same input and output length (a fixed ISL/OSL benchmark).</summary>
public sealed class FixedLengths : ILengthSampler
{
    /// <summary>Creates a sampler that always returns <paramref name="inputTokens"/> and <paramref name="outputTokens"/>.</summary>
    /// <exception cref="InputException">A length is below 1.</exception>
    public FixedLengths(int inputTokens, int outputTokens)
    {
        if (inputTokens < 1)
        {
            throw new InputException($"input length (ISL) must be at least 1 token; got {inputTokens}.");
        }

        if (outputTokens < 1)
        {
            throw new InputException($"output length (OSL) must be at least 1 token; got {outputTokens}.");
        }

        InputTokens = inputTokens;
        OutputTokens = outputTokens;
    }

    /// <summary>Prompt length of every request.</summary>
    public int InputTokens { get; }

    /// <summary>Output length of every request.</summary>
    public int OutputTokens { get; }

    /// <inheritdoc />
    public (int InputTokens, int OutputTokens) Sample(Random random) => (InputTokens, OutputTokens);
}
