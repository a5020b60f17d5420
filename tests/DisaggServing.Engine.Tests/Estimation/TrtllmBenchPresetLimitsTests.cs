using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Estimation;

public class TrtllmBenchPresetLimitsTests
{
    [Fact]
    public void A_listed_length_overrides_the_mappings_general_entry()
    {
        // GPT-J: 128 sequences and 2,048 tokens, but 2,048 sequences for a 256-token dataset (128/128).
        Assert.Equal((128, 2048), TrtllmBenchPresetLimits.For(ModelCatalog.GptJ6B, 1, 128, 2048));
        Assert.Equal((2048, 2048), TrtllmBenchPresetLimits.For(ModelCatalog.GptJ6B, 1, 128, 128));
        // Llama-2-70B at TP4: 4,096 sequences, but 256 for 128/4096 (4,224 tokens).
        Assert.Equal((4096, 8192), TrtllmBenchPresetLimits.For(ModelCatalog.Llama2_70B, 4, 2048, 2048));
        Assert.Equal((256, 8192), TrtllmBenchPresetLimits.For(ModelCatalog.Llama2_70B, 4, 128, 4096));
    }

    [Fact]
    public void A_model_or_mapping_the_table_lacks_has_no_preset()
    {
        Assert.Null(TrtllmBenchPresetLimits.For(ModelCatalog.Llama31_8B, 1, 128, 128));
        Assert.Null(TrtllmBenchPresetLimits.For(ModelCatalog.Llama2_70B, 1, 128, 128));
    }
}
