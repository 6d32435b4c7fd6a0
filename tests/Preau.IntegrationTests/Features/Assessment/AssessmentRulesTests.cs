using Preau.Data.Assessment;
using Preau.Web.Features.Assessment;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.IntegrationTests.Features.Assessment;

/// <summary>The pure rules: what a cell accepts, how averages weigh marks, how the year is cut by default.</summary>
public sealed class AssessmentRulesTests
{
    [Theory]
    [InlineData("12,5", ResultStatus.Assessed, 12.5)]
    [InlineData(" 12.5 ", ResultStatus.Assessed, 12.5)]
    [InlineData("0", ResultStatus.Assessed, 0.0)]
    [InlineData("20", ResultStatus.Assessed, 20.0)]
    [InlineData("ABS", ResultStatus.Absent, null)]
    [InlineData("disp", ResultStatus.Exempt, null)]
    [InlineData("Dispensé", ResultStatus.Exempt, null)]
    public void Parse_MarkCell_ReadsValue(string text, ResultStatus status, double? value)
    {
        var cell = AssessmentCells.Parse(text, AssessmentKind.Marks, 20, out var error);

        Assert.Null(error);
        Assert.Equal(status, cell!.Value.Status);
        Assert.Equal(value is null ? null : (decimal)value.Value, cell.Value.Value);
    }

    [Theory]
    [InlineData("20,5")]
    [InlineData("-1")]
    [InlineData("12,345")]
    [InlineData("douze")]
    [InlineData("1e3")]
    public void Parse_BadMark_FrenchMessage(string text)
    {
        Assert.Null(AssessmentCells.Parse(text, AssessmentKind.Marks, 20, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("TB", 4)]
    [InlineData("ms", 3)]
    public void Parse_SkillLevel_ReadsLevel(string text, int level) =>
        Assert.Equal(level, AssessmentCells.Parse(text, AssessmentKind.Skills, 0, out _)!.Value.Value);

    [Fact]
    public void Parse_Empty_IsNoValue()
    {
        Assert.Null(AssessmentCells.Parse("  ", AssessmentKind.Marks, 20, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void OnTwenty_MarksOutOfDifferentMaximaAndCoefficients_WeightedOnTwenty()
    {
        // 15/20 coef 2 and 5/10 coef 1: (15·2 + 10·1) / 3 = 13,33.
        var average = Averages.OnTwenty([new CountedMark(15, 20, 2), new CountedMark(5, 10, 1)]);

        Assert.Equal(13.33m, average);
        Assert.Null(Averages.OnTwenty([]));
        Assert.Equal(11m, Averages.Overall([12m, null, 10m]));
    }

    [Fact]
    public void DefaultTrimesters_CoverTheSchoolYearWithoutGaps()
    {
        var terms = SchoolTerms.DefaultTrimesters(2026);

        Assert.Equal(new DateOnly(2026, 9, 1), terms[0].Start);
        Assert.Equal(new DateOnly(2027, 8, 31), terms[^1].End);
        Assert.Equal(terms[0].End.AddDays(1), terms[1].Start);
        Assert.Equal(terms[1].End.AddDays(1), terms[2].Start);
        Assert.Equal(new DateOnly(2027, 2, 28), terms[1].End);
        Assert.Equal(2, SchoolTerms.TermOf(terms, new DateOnly(2026, 12, 15)).Number);
        Assert.Equal("1er trimestre", SchoolTerms.TermOf(terms, new DateOnly(2026, 9, 1)).Name);
        Assert.Equal(2025, SchoolTerms.SchoolYearOf(new DateOnly(2026, 8, 31)));
    }
}
