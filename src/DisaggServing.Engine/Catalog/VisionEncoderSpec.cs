namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The vision encoder of a multimodal checkpoint (its config's <c>vision_config</c>): transformer layers and their width.
/// Text steps do not run it and its weights (a few hundred million parameters) are not counted; SGLang sizes its memory
/// by it (<see cref="Performance.SglangMemoryFraction"/>).
/// </summary>
/// <param name="Layers">Encoder layers (<c>depth</c> or <c>num_hidden_layers</c>).</param>
/// <param name="Hidden">Encoder width (<c>hidden_size</c>).</param>
public sealed record VisionEncoderSpec(int Layers, int Hidden)
{
    /// <summary>The SigLIP-so400m encoder of Gemma 3 and Qwen3.5's vision tower: 27 layers of 1,152.</summary>
    public static VisionEncoderSpec So400m { get; } = new(27, 1152);
}
