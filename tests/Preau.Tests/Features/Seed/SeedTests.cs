using Preau.Data.Directory;
using Preau.Web.Features.Seed;

namespace Preau.Tests.Features.Seed;

public sealed class SeedArgumentsTests
{
    [Fact]
    public void Parse_AllOptions_ReadsThemAndSkipsConfigurationKeys()
    {
        var (args, error) = SeedArguments.Parse(["--schools", "3", "--Database:Provider", "Postgres", "--students-per-school=250",
            "--accounts-out", "c.csv", "--activation-codes", "--Database__ConnectionString=Host=x", "--activation-days", "7",
            "--seed", "5", "--force", "--environment", "Development"]);

        Assert.Null(error);
        Assert.Equal(new SeedArguments { Schools = 3, PupilsPerSchool = 250, AccountsOut = "c.csv", ActivationCodes = true,
            ActivationDays = 7, Seed = 5, Force = true }, args);
    }

    [Theory]
    [InlineData("--schools -1")]
    [InlineData("--schools 1001")]
    [InlineData("--students-per-school 2,5")]
    [InlineData("--force=oui")]
    [InlineData("schools 3")]
    [InlineData("--seed -4")]
    public void Parse_BadValue_FrenchErrorNoArguments(string arguments)
    {
        var (args, error) = SeedArguments.Parse([.. arguments.Split(' '), "--accounts-out", "c.csv"]);

        Assert.Null(args);
        Assert.NotNull(error);
        Assert.Matches("(attend|Argument inattendu|ne prend pas)", error);
    }

    [Fact]
    public void Parse_RegionTooLargeForOneRun_RefusedWithTheLimit()
    {
        var (args, error) = SeedArguments.Parse(["--schools", "1000", "--students-per-school", "5000", "--accounts-out", "c.csv"]);

        Assert.Null(args);
        Assert.Contains("200", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationArguments_FlagFollowedByKey_HostGetsOnlyKeys()
    {
        var host = SeedArguments.ConfigurationArguments(["--activation-codes", "--Storage:DataDirectory=/tmp/x", "--schools", "2",
            "--Database:Provider", "Postgres", "--force"]);

        Assert.Equal(["--Storage:DataDirectory=/tmp/x", "--Database:Provider", "Postgres"], host);
    }
}

public sealed class RegionGeneratorTests
{
    private static GeneratedRegion Make(int seed, int schools = 2, int pupils = 150, IEnumerable<string>? taken = null) =>
        RegionGenerator.Generate("T", "Test", schools, pupils, seed, taken ?? [], []);

    [Theory]
    [InlineData("Marie-Hélène", "marie-helene")]
    [InlineData("N'Diaye", "ndiaye")]
    [InlineData("Le Gall", "le-gall")]
    [InlineData("Wiśniewski", "wisniewski")]
    [InlineData("Öztürk", "ozturk")]
    public void Slug_FrenchNames_AsciiLowerCase(string name, string expected) =>
        Assert.Equal(expected, RegionGenerator.Slug(name));

    [Fact]
    public void UaiLetter_RealUai_MatchesItsCheckLetter() =>
        Assert.Equal('D', RegionGenerator.UaiLetter("0750654")); // Lycée Henri-IV, Paris: 0750654D

    [Fact]
    public void Generate_SameSeed_SamePeopleLoginsAndClasses()
    {
        static string[] Shape(GeneratedRegion r) =>
            r.People.Select(p => $"{p.Login}|{p.Person.FirstName}|{p.Person.LastName}|{p.Person.Profile}|{p.SchoolUai}|{p.ClassName}").ToArray();

        Assert.Equal(Shape(Make(42)), Shape(Make(42)));
        Assert.NotEqual(Shape(Make(42)), Shape(Make(43)));
    }

    [Fact]
    public void Generate_ThousandPupils_ClassesOfAtMost29AndLoginsUnique()
    {
        var region = Make(1, schools: 1, pupils: 1000);
        var classes = region.Groups.Where(g => g.Kind == GroupKind.Class).ToList();
        var sizes = classes.Select(c => region.Memberships.Count(m => m.GroupId == c.Id)).ToList();

        Assert.Equal(1000, region.People.Count(p => p.Person.Profile == Profile.Pupil));
        Assert.All(sizes, s => Assert.InRange(s, 20, 29));
        Assert.Equal(["3e", "4e", "5e", "6e"], classes.Select(c => c.Level).Distinct().Order());
        Assert.Equal(region.People.Count, region.People.Select(p => p.Login).Distinct().Count());
        var parentsPerPupil = region.People.Count(p => p.Person.Profile == Profile.Parent) / 1000.0;
        Assert.InRange(parentsPerPupil, 1.3, 1.7);
    }

    [Fact]
    public void Generate_LoginAlreadyTaken_GetsANumber()
    {
        var first = Make(3).People[0].Login;

        var again = Make(3, taken: [first]).People[0].Login;

        Assert.Equal(first + "2", again);
    }
}

public sealed class SeedProgressTests
{
    [Fact]
    public void Step_RedirectedOutput_PrintsAPlainLineEveryTenthOnly()
    {
        using var output = new StringWriter();
        var progress = new SeedProgress(output, interactive: false);

        using (var step = progress.Step("Écriture en base", 1000))
        {
            for (var i = 0; i < 1000; i++)
            {
                step.Advance(1);
            }
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length); // 0 %, 10 % … 100 %
        Assert.Contains("1 000/1 000 (100 %)", lines[^1].Replace('\u202f', ' ').Replace('\u00a0', ' '), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output.ToString()); // no terminal control characters in a log
    }
}

public sealed class CommandsTests
{
    [Fact]
    public void HostArguments_Seed_HostGetsOnlyConfigurationAndEfErrorsSilenced()
    {
        var host = Preau.Web.Infrastructure.Commands.HostArguments(["seed", "--activation-codes", "--Database:Provider=Postgres", "--schools", "3"]);

        Assert.Equal(["--Logging:LogLevel:Microsoft.EntityFrameworkCore=None", "--Database:Provider=Postgres"], host);
    }

    [Fact]
    public void HostArguments_NoCommand_Unchanged()
    {
        string[] args = ["--urls", "http://127.0.0.1:5000"];

        Assert.Same(args, Preau.Web.Infrastructure.Commands.HostArguments(args));
    }
}
