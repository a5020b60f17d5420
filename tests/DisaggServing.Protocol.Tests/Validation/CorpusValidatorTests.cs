using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Validation;

namespace DisaggServing.Protocol.Tests.Validation;

/// <summary>Every corpus case against the shared validator itself (the HTTP-only cases — methods, routes — excepted).</summary>
public sealed class CorpusValidatorTests
{
    private const string Model = "test-model";
    private const int MaxModelLen = 1000;

    private static readonly ValidationLimits Limits = new()
    {
        MaxModelLen = MaxModelLen,
        VocabSize = 128_256,
        IsServed = model => model == Model,
    };

    public static TheoryData<string> Cases() => VllmCorpus.Ids();

    [Fact]
    public void The_corpus_holds_at_least_300_cases_with_valid_edges_among_them()
    {
        Assert.True(VllmCorpus.Cases.Count >= 300);
        Assert.True(VllmCorpus.Cases.Count(c => c.Status == 200) >= 100);
        Assert.All(VllmCorpus.Cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Source)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_shared_validator_answers_each_case_as_vllm_does(string id)
    {
        var c = VllmCorpus.Get(id);
        if (c.Method is not null || c.Path is not null) return; // routing, not validation: the HTTP suites cover these

        var (status, error) = Run(c);

        Assert.True(c.Status == status, $"{id}: expected {c.Status}, got {status}: {error?.Error.Message}");
        if (error is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Error.Message));
            if (c.Param is not null) Assert.True(c.Param == error.Error.Param, $"{id}: param {error.Error.Param} instead of {c.Param}");
            Assert.Contains(error.Error.Type, (string[])[ErrorTypes.VllmSchema, ErrorTypes.VllmBadRequest, ErrorTypes.VllmNotFound]);
            Assert.Equal(status, error.Error.Code);
        }
    }

    private static (int Status, ErrorResponse? Error) Run(CorpusCase c)
    {
        try
        {
            using var document = OpenAiRequestValidator.Parse(System.Text.Encoding.UTF8.GetBytes(c.BodyFor(Model, MaxModelLen)!));
            OpenAiRequestValidator.CheckContentType(c.ContentType ?? "application/json");
            OpenAiRequestValidator.Validate(document.RootElement, c.Chat, Limits);
            return (200, null);
        }
        catch (OpenAiException e)
        {
            return (e.Status, e.Error);
        }
    }
}
