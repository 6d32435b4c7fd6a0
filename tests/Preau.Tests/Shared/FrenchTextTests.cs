using Preau.Web.Shared;

namespace Preau.Tests.Text;

public sealed class FrenchTextTests
{
    [Theory]
    [InlineData(0, "0 personne")]
    [InlineData(1, "1 personne")]
    [InlineData(2, "2 personnes")]
    [InlineData(20_000, "20\u202F000 personnes")]
    public void Count_SingularForZeroAndOne_ThousandsWithNarrowNoBreakSpace(long n, string expected) =>
        Assert.Equal(expected, FrenchText.Count(n, "personne", "personnes"));

    [Fact]
    public void Day_FirstOfTheMonth_Says1erAndCapitalisesWhenAsked()
    {
        var tuesday = new DateOnly(2026, 12, 1);

        Assert.Equal("mardi 1er décembre", FrenchText.Day(tuesday));
        Assert.Equal("Mardi 1er décembre", FrenchText.Capitalised(FrenchText.Day(tuesday)));
        Assert.Equal("mercredi 2 décembre 2026", FrenchText.DayWithYear(tuesday.AddDays(1)));
    }

    [Theory]
    [InlineData(0, "1\u00A0Ko")]
    [InlineData(300, "1\u00A0Ko")]
    [InlineData(12 * 1024, "12\u00A0Ko")]
    [InlineData(1024 * 1024 - 1, "1\u202F023\u00A0Ko")]
    [InlineData(3 * 1024 * 1024 / 2, "1,5\u00A0Mo")]
    [InlineData(2 * 1024 * 1024, "2\u00A0Mo")]
    public void FileSize_KoUnderAMegabyteElseMo_NoBreakSpaceBeforeTheUnit(long bytes, string expected) =>
        Assert.Equal(expected, FrenchText.FileSize(bytes));

    [Fact]
    public void FigureAndPercent_DecimalCommaAndNarrowNoBreakSpaceBeforeThePercentSign()
    {
        Assert.Equal("12,5", FrenchText.Figure(12.5));
        Assert.Equal("0,05", FrenchText.Figure(0.05, "0.##"));
        Assert.Equal("8", FrenchText.Figure(8));
        Assert.Equal("5\u202F%", FrenchText.Percent(0.049));
        Assert.Equal("100\u202F%", FrenchText.Percent(1));
    }
}
