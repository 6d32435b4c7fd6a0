using System.Text;
using Preau.Data.Directory;
using Preau.Web.Features.Seed;
using Preau.Web.Shared.Csv;

namespace Preau.Tests.Features.Seed;

public sealed class AccountsCsvTests
{
    private static byte[] Write(params AccountLine[] lines)
    {
        using var stream = new MemoryStream();
        AccountsCsv.Write(stream, lines);
        return stream.ToArray();
    }

    [Fact]
    public void Write_Sheet_Utf8WithBomAndSemicolons()
    {
        var bytes = Write(new AccountLine("eleve.dupont", "mdp;1", Profile.Pupil, "0750001A", "4e B"));

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("login;password;profile;school;class\r\n", text, StringComparison.Ordinal);
        Assert.Contains("eleve.dupont;\"mdp;1\";eleve;0750001A;4e B", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+33")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcache")]
    public void Write_ValueASpreadsheetWouldRun_NeutralisedAndReadBackAsTyped(string value)
    {
        var bytes = Write(new AccountLine("prof.martin", value, Profile.Teacher, value, "6e A"));

        var text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain(";" + value, text, StringComparison.Ordinal);
        using var reader = SpreadsheetCsv.CreateReader(new StringReader(text.TrimStart('\uFEFF')));
        Assert.True(reader.Read());
        Assert.StartsWith("'", reader.GetString(1), StringComparison.Ordinal);
        Assert.Equal(value, SpreadsheetCsv.Restore(reader.GetString(1)!));
        Assert.Equal(value, SpreadsheetCsv.Restore(reader.GetString(3)!));
        Assert.Equal("enseignant", reader.GetString(2));
    }

    [Theory]
    [InlineData("login,password,profile\nparent.durand,p w,parent\n")]
    [InlineData("login;password;profile\nparent.durand;p w;parent\n")]
    public void Read_CommaOrSemicolon_BothAccepted(string text)
    {
        using var reader = SpreadsheetCsv.CreateReader(new StringReader(text));

        Assert.True(reader.Read());
        Assert.Equal(["login", "password", "profile"], reader.Headers);
        Assert.Equal("p w", reader.GetString(1));
        Assert.True(ProfileLabels.TryParse<Profile>(reader.GetString(2)!, out var profile));
        Assert.Equal(Profile.Parent, profile);
    }

    [Theory]
    [InlineData("eleve", Profile.Pupil, "eleve")]
    [InlineData("ADMINISTRATEUR-REGION", Profile.RegionAdmin, "administrateur-region")]
    [InlineData("Teacher", Profile.Teacher, "enseignant")]
    public void TryParse_LabelOrName_Profile(string text, Profile expected, string label)
    {
        Assert.True(ProfileLabels.TryParse<Profile>(text, out var profile));
        Assert.Equal(expected, profile);
        Assert.Equal(label, ProfileLabels.Label(profile));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("principal")]
    [InlineData("")]
    public void TryParse_NumberOrUnknown_Refused(string text)
    {
        Assert.False(ProfileLabels.TryParse<Profile>(text, out _));
    }
}
