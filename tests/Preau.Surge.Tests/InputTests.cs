using Preau.Surge.Accounts;
using Preau.Surge.Cli;
using Preau.Surge.Journey;

namespace Preau.Surge.Tests;

public sealed class InputTests
{
    private static IReadOnlyList<SeedAccount> Csv(string text) => AccountsCsv.Read(new StringReader(text), "accounts.csv");

    [Fact]
    public void Read_SeedFile_ParsesEveryProfile()
    {
        var accounts = Csv("""
            login,password,profile,school,class
            eleve1,pw1,Pupil,Lycée A,2nde 1
            parent1,"p,w""2",Parent,Lycée A,
            prof1,pw3,Teacher,Lycée A,2nde 1
            admin1,pw4,RegionAdmin,,
            """);

        Assert.Equal(4, accounts.Count);
        Assert.Equal(new SeedAccount("parent1", "p,w\"2", UserProfile.Parent, "Lycée A", ""), accounts[1]);
        Assert.Equal(UserProfile.RegionAdmin, accounts[3].Profile);
    }

    [Fact]
    public void Read_SeedSheetForSpreadsheets_SemicolonsLabelsAndNeutralisedValuesRead()
    {
        var accounts = Csv("\uFEFFlogin;password;profile;school;class\r\nprof1;'-x=1;enseignant;0750001A;\r\neleve1;\"a;b\";eleve;0750001A;4e B\r\n");

        Assert.Equal(new SeedAccount("prof1", "-x=1", UserProfile.Teacher, "0750001A", ""), accounts[0]);
        Assert.Equal(new SeedAccount("eleve1", "a;b", UserProfile.Pupil, "0750001A", "4e B"), accounts[1]);
    }

    [Fact]
    public async Task WriteAsync_EmulatorAccounts_ReadBackUnchanged()
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-accounts-{Guid.NewGuid():N}.csv");
        try
        {
            var written = new[] { new SeedAccount("u1", "=1+1", UserProfile.Parent, "ecole-0", "classe-0") };
            await AccountsCsv.WriteAsync(path, written, CancellationToken.None);

            Assert.Equal(written, AccountsCsv.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_ColumnsInAnotherOrder_Accepted()
    {
        var accounts = Csv("profile,login,password\nStaff,s1,pw\n");

        Assert.Equal(new SeedAccount("s1", "pw", UserProfile.Staff, "", ""), accounts[0]);
    }

    [Fact]
    public void Read_MissingPasswordColumn_NamesTheColumn()
    {
        var e = Assert.Throws<SurgeInputException>(() => Csv("login,profile\na,Pupil\n"));

        Assert.Contains("password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RowWithTooFewFields_NamesTheLine()
    {
        var e = Assert.Throws<SurgeInputException>(() => Csv("login,password,profile\na,b,Pupil\nc,d\n"));

        Assert.Contains("ligne 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownProfile_NamesTheLineAndTheValue()
    {
        var e = Assert.Throws<SurgeInputException>(() => Csv("login,password,profile\na,b,Principal\n"));

        Assert.Contains("ligne 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("Principal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumericProfile_Refused()
    {
        Assert.Throws<SurgeInputException>(() => Csv("login,password,profile\na,b,2\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("login,password,profile,school,class\n")]
    [InlineData("login,password,profile\n\"a,b,Pupil\n")]
    [InlineData("login,password,profile\n,b,Pupil\n")]
    public void Read_EmptyOrBroken_Refused(string text)
    {
        Assert.Throws<SurgeInputException>(() => Csv(text));
    }

    [Fact]
    public void Read_MissingFile_Refused()
    {
        Assert.Throws<SurgeInputException>(() => AccountsCsv.Read("/nonexistent/accounts.csv"));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("60s", 60)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("90", 90)]
    [InlineData("1.5s", 1.5)]
    public void Parse_DurationWithUnit_Seconds(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--window"));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("")]
    public void Parse_NotADuration_Refused(string text)
    {
        Assert.Throws<SurgeInputException>(() => Durations.Parse(text, "--window"));
    }

    [Fact]
    public void RejectUnknown_MisspelledOption_Refused()
    {
        var args = new ArgReader(["--users", "10", "--windw", "60s"]);
        _ = args.Int("users", 1, 1, 100);
        _ = args.String("window");

        var e = Assert.Throws<SurgeInputException>(args.RejectUnknown);
        Assert.Contains("--windw", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_BeyondItsBound_Refused()
    {
        var args = new ArgReader(["--duration-limit", "9h"]);

        Assert.Throws<SurgeInputException>(() => args.Duration("duration-limit", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromHours(2)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://127.8.9.10")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://[::1]:5000")]
    public void Parse_LoopbackTarget_Accepted(string target)
    {
        Assert.NotNull(TargetGuard.Parse(target, "--target"));
    }

    [Theory]
    [InlineData("http://10.0.0.5:5000")]
    [InlineData("https://preau.example.fr")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    public void Parse_TargetOffThisMachine_Refused(string target)
    {
        Assert.Throws<SurgeInputException>(() => TargetGuard.Parse(target, "--target"));
    }

    [Fact]
    public void ParseStatus_Queued_ReadsPositionEtaAndRefresh()
    {
        var s = GateParser.ParseStatus("""{"state":"queued","position":1200,"etaSeconds":{"low":40,"high":55},"refreshSeconds":5}""");

        Assert.Equal(new GateSignal("queued", TimeSpan.FromSeconds(5), 1200, 40, 55), s);
    }

    [Fact]
    public void ParseStatus_RealGateDuringFairStartDraw_NullPositionAndEtaAreAbsent()
    {
        // What Préau's gate answers while the fair-start draw is open: no number yet, no estimate.
        var s = GateParser.ParseStatus("""{"state":"queued","position":null,"etaSeconds":null,"refreshSeconds":10,"message":null,"reopensAt":null}""");

        Assert.Equal(new GateSignal("queued", TimeSpan.FromSeconds(10), null, null, null), s);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"id":3,"displayName":"x"}""")]
    [InlineData("""{"state":"queued"}""")]
    [InlineData("{not json")]
    public void ParseStatus_NotAGateAnswer_Null(string body)
    {
        Assert.Null(GateParser.ParseStatus(body));
    }

    [Fact]
    public void Detect_WaitingPageThatRefreshesItself_Queued()
    {
        var page = new HttpAnswer(System.Net.HttpStatusCode.OK, "text/html", "<meta http-equiv=\"refresh\" content=\"7\"><p>Patientez</p>",
            new Dictionary<string, string>());

        Assert.Equal(TimeSpan.FromSeconds(7), GateParser.Detect(page)?.Refresh);
    }

    [Fact]
    public void Detect_OrdinaryDashboard_NotGate()
    {
        var page = new HttpAnswer(System.Net.HttpStatusCode.OK, "text/html", "<h1>Tableau de bord</h1>", new Dictionary<string, string>());

        Assert.Null(GateParser.Detect(page));
    }

    [Theory]
    [InlineData("--profile", "burst")]
    [InlineData("--users", "-3")]
    [InlineData("--target", "http://192.168.1.10:5000")]
    [InlineData("--duration-limit", "10s")]
    public async Task RunAsync_BadRunOption_RefusedBeforeAnyRequest(string option, string value)
    {
        var csv = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(csv, "login,password,profile\na,b,Pupil\n");
            var args = new Dictionary<string, string> { ["--target"] = "http://127.0.0.1:1", ["--accounts"] = csv, ["--window"] = "60s", [option] = value };

            await Assert.ThrowsAsync<SurgeInputException>(() =>
                Commands.RunAsync(["run", .. args.SelectMany(a => new[] { a.Key, a.Value })], TextWriter.Null, CancellationToken.None));
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
