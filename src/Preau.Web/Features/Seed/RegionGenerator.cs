using System.Globalization;
using System.Text;
using Preau.Data.Directory;

namespace Preau.Web.Features.Seed;

/// <summary>A person to give an account to, with what the printed sheet shows about them.</summary>
internal sealed record SeededPerson(Person Person, string Login, string SchoolUai, string ClassName);

/// <summary>A whole region in memory, ready to be written in one transaction.</summary>
internal sealed class GeneratedRegion
{
    public required Region Region { get; init; }
    public List<Subject> Subjects { get; } = [];
    public List<School> Schools { get; } = [];
    public List<Group> Groups { get; } = [];
    public List<SeededPerson> People { get; } = [];
    public List<GroupMembership> Memberships { get; } = [];
    public List<TeachingAssignment> Assignments { get; } = [];
    public List<GuardianLink> Guardians { get; } = [];
}

/// <summary>
/// Builds a realistic collège region from a seed number. Everything that a person can see
/// (names, logins, classes, who teaches whom, who is whose parent) comes from one
/// <see cref="Random"/> seeded with <c>seed</c>, so the same arguments give the same region;
/// only ids (Guid v7, time-based) and secrets differ between runs.
/// </summary>
internal sealed class RegionGenerator
{
    /// <summary>Collège subjects; <c>PerTeacher</c> is how many classes one teacher's weekly
    /// service covers (about 18 hours divided by the subject's hours per class).</summary>
    internal static readonly (string Code, string Name, int PerTeacher)[] ClassSubjects =
    [
        ("FRANC", "Français", 4), ("MATHS", "Mathématiques", 4), ("HG", "Histoire-Géographie", 6),
        ("ANG", "Anglais", 5), ("ESP", "Espagnol", 7), ("SVT", "SVT", 10), ("PC", "Physique-Chimie", 10),
        ("TECH", "Technologie", 10), ("EPS", "EPS", 5), ("ARTS", "Arts plastiques", 18), ("MUS", "Éducation musicale", 18),
    ];

    internal const string LatinCode = "LATIN";
    internal static readonly string[] Levels = ["6e", "5e", "4e", "3e"];
    private const int MaxClassSize = 29;

    private readonly Random _random;
    private readonly HashSet<string> _logins;
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uais;
    private readonly List<Family> _families = [];
    private readonly Dictionary<Guid, (string Uai, string Class)> _firstChildOf = [];
    private GeneratedRegion _region = null!;
    private int _schoolFamiliesStart;

    private sealed class Family(string lastName, Person[] parents)
    {
        public string LastName { get; } = lastName;
        public Person[] Parents { get; } = parents;
        public int Children { get; set; }
    }

    private RegionGenerator(int seed, IEnumerable<string> takenLogins, IEnumerable<string> takenUais)
    {
        _random = new Random(seed);
        _logins = new HashSet<string>(takenLogins, StringComparer.Ordinal);
        _uais = new HashSet<string>(takenUais, StringComparer.Ordinal);
    }

    // takenLogins and takenUais are those already in the database, so that a second region never collides.
    public static GeneratedRegion Generate(string regionCode, string regionName, int schools, int pupilsPerSchool, int seed,
        IEnumerable<string> takenLogins, IEnumerable<string> takenUais) =>
        new RegionGenerator(seed, takenLogins, takenUais).Build(regionCode, regionName, schools, pupilsPerSchool);

    private GeneratedRegion Build(string regionCode, string regionName, int schools, int pupilsPerSchool)
    {
        _region = new GeneratedRegion { Region = new Region { Code = regionCode, Name = regionName } };
        var regionId = _region.Region.Id;
        foreach (var (code, name, _) in ClassSubjects)
        {
            _region.Subjects.Add(new Subject { RegionId = regionId, Code = code, Name = name });
        }

        var latin = new Subject { RegionId = regionId, Code = LatinCode, Name = "Latin" };
        _region.Subjects.Add(latin);

        AddPerson(Profile.RegionAdmin, null, Pick(SeedNames.AdultFirstNames), Pick(SeedNames.LastNames), "", "");
        for (var s = 0; s < schools; s++)
        {
            AddSchool(pupilsPerSchool, latin);
        }

        // Parents are known only once all their children are: add their sheet lines last.
        foreach (var family in _families)
        {
            var (uai, className) = _firstChildOf[family.Parents[0].Id];
            foreach (var parent in family.Parents)
            {
                _region.People.Add(new SeededPerson(parent, NewLogin(parent.FirstName, parent.LastName), uai, className));
            }
        }

        return _region;
    }

    private void AddSchool(int pupils, Subject latin)
    {
        var (town, department) = SeedNames.Towns[_random.Next(SeedNames.Towns.Length)];
        var school = new School
        {
            RegionId = _region.Region.Id,
            Uai = NewUai(department),
            Name = "Collège " + Pick(SeedNames.SchoolNames),
            City = town,
        };
        _region.Schools.Add(school);
        _schoolFamiliesStart = _families.Count;

        AddAdult(Profile.SchoolAdmin, school);
        if (pupils >= 600)
        {
            AddAdult(Profile.SchoolAdmin, school); // principal adjoint
        }

        // A CPE per ~450 pupils and two secretaries.
        for (var i = 0; i < Math.Max(1, pupils / 450) + 2; i++)
        {
            AddAdult(Profile.Staff, school);
        }

        var classes = new List<Group>();
        for (var level = 0; level < Levels.Length; level++)
        {
            var atLevel = (pupils / Levels.Length) + (level < pupils % Levels.Length ? 1 : 0);
            if (atLevel == 0)
            {
                continue;
            }

            var count = (atLevel + MaxClassSize - 1) / MaxClassSize;
            var levelClasses = new List<(Group Class, List<Person> Pupils)>();
            for (var c = 1; c <= count; c++)
            {
                var group = new Group { SchoolId = school.Id, Name = $"{Levels[level]}{c}", Kind = GroupKind.Class, Level = Levels[level] };
                _region.Groups.Add(group);
                classes.Add(group);
                levelClasses.Add((group, []));
            }

            for (var p = 0; p < atLevel; p++)
            {
                var (group, members) = levelClasses[p % count];
                members.Add(AddPupil(school, group));
            }

            if (level > 0)
            {
                AddLatinGroup(school, Levels[level], levelClasses.SelectMany(c => c.Pupils));
            }
        }

        foreach (var (code, _, perTeacher) in ClassSubjects)
        {
            var subject = _region.Subjects.First(s => s.Code == code);
            var teachers = Enumerable.Range(0, Math.Max(1, (classes.Count + perTeacher - 1) / perTeacher))
                .Select(_ => AddAdult(Profile.Teacher, school)).ToList();
            for (var c = 0; c < classes.Count; c++)
            {
                _region.Assignments.Add(new TeachingAssignment { TeacherId = teachers[c % teachers.Count].Id, GroupId = classes[c].Id, SubjectId = subject.Id });
            }
        }

        var latinGroups = _region.Groups.Where(g => g.SchoolId == school.Id && g.Kind == GroupKind.Group).ToList();
        if (latinGroups.Count > 0)
        {
            var latinist = AddAdult(Profile.Teacher, school);
            foreach (var group in latinGroups)
            {
                _region.Assignments.Add(new TeachingAssignment { TeacherId = latinist.Id, GroupId = group.Id, SubjectId = latin.Id });
            }
        }
    }

    /// <summary>Latin is an option from 5e: about one pupil in six joins the level's group.</summary>
    private void AddLatinGroup(School school, string level, IEnumerable<Person> pupils)
    {
        var members = pupils.Where(_ => _random.Next(6) == 0).ToList();
        if (members.Count == 0)
        {
            return;
        }

        var group = new Group { SchoolId = school.Id, Name = $"Latin {level}", Kind = GroupKind.Group, Level = level };
        _region.Groups.Add(group);
        _region.Memberships.AddRange(members.Select(p => new GroupMembership { GroupId = group.Id, PupilId = p.Id }));
    }

    private Person AddPupil(School school, Group group)
    {
        var family = FamilyFor(school);
        family.Children++;
        var pupil = AddPerson(Profile.Pupil, school, Pick(SeedNames.ChildFirstNames), family.LastName, school.Uai, group.Name);
        _region.Memberships.Add(new GroupMembership { GroupId = group.Id, PupilId = pupil.Id });
        foreach (var parent in family.Parents)
        {
            _region.Guardians.Add(new GuardianLink { ParentId = parent.Id, ChildId = pupil.Id });
        }

        _firstChildOf.TryAdd(family.Parents[0].Id, (school.Uai, group.Name));
        return pupil;
    }

    /// <summary>One pupil in seven is the brother or sister of a pupil already placed, mostly in
    /// the same school, sometimes in another one; otherwise a new family with one or two parents.</summary>
    private Family FamilyFor(School school)
    {
        if (_families.Count > 0 && _random.Next(7) == 0)
        {
            // Families of this school are the tail of the list, from _schoolFamiliesStart on.
            var from = _random.Next(3) > 0 ? _schoolFamiliesStart : 0;
            var sibling = from < _families.Count ? _families[_random.Next(from, _families.Count)] : null;
            if (sibling is { Children: < 3 })
            {
                return sibling;
            }
        }

        var lastName = Pick(SeedNames.LastNames);
        var parentCount = _random.Next(4) == 0 ? 1 : 2;
        var parents = new Person[parentCount];
        for (var i = 0; i < parentCount; i++)
        {
            // Parents have no school (their children may be in several) and get their login at the end.
            var parentLastName = i == 0 || _random.Next(5) < 3 ? lastName : Pick(SeedNames.LastNames);
            parents[i] = new Person
            {
                RegionId = _region.Region.Id,
                SchoolId = null,
                Profile = Profile.Parent,
                FirstName = Pick(SeedNames.AdultFirstNames),
                LastName = parentLastName,
            };
        }

        var family = new Family(lastName, parents);
        _families.Add(family);
        return family;
    }

    private Person AddAdult(Profile profile, School school) =>
        AddPerson(profile, school, Pick(SeedNames.AdultFirstNames), Pick(SeedNames.LastNames), school.Uai, "");

    private Person AddPerson(Profile profile, School? school, string firstName, string lastName, string uai, string className)
    {
        var person = new Person
        {
            RegionId = _region.Region.Id,
            SchoolId = school?.Id,
            Profile = profile,
            FirstName = firstName,
            LastName = lastName,
        };
        _region.People.Add(new SeededPerson(person, NewLogin(firstName, lastName), uai, className));
        return person;
    }

    private string Pick(string[] words) => words[_random.Next(words.Length)];

    /// <summary>"prenom.nom", then "prenom.nom2", "prenom.nom3"… ASCII lower case.</summary>
    private string NewLogin(string firstName, string lastName)
    {
        var stem = $"{Slug(firstName)}.{Slug(lastName)}";
        if (_logins.Add(stem))
        {
            return stem;
        }

        var n = _nextSuffix.GetValueOrDefault(stem, 2);
        while (!_logins.Add(stem + n.ToString(CultureInfo.InvariantCulture)))
        {
            n++;
        }

        _nextSuffix[stem] = n + 1;
        return stem + n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>"Marie-Hélène" → "marie-helene", "N'Diaye" → "ndiaye", "Le Gall" → "le-gall".</summary>
    internal static string Slug(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if ((c is ' ' or '-') && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }

    /// <summary>Département (3 digits), 4 digits, and the check letter of real UAIs: the
    /// 7-digit number modulo 23 in an alphabet without I, O and Q.</summary>
    private string NewUai(string department)
    {
        while (true)
        {
            var digits = department + _random.Next(10000).ToString("D4", CultureInfo.InvariantCulture);
            var uai = digits + UaiLetter(digits);
            if (_uais.Add(uai))
            {
                return uai;
            }
        }
    }

    internal static char UaiLetter(string sevenDigits) =>
        "ABCDEFGHJKLMNPRSTUVWXYZ"[(int)(long.Parse(sevenDigits, CultureInfo.InvariantCulture) % 23)];
}
