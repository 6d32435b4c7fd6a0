using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Data.Directory;
using Preau.Data.Timetable;

// Seeds a realistic week into a running Préau (SQLite data directory), signs in N pupils of one
// class through the real API and writes their session cookies as a wrk Lua script, so that wrk
// can spread its requests over N different pupils.
//   Preau.SchoolLife.Bench <sqlite-file> <base-url> <pupils> <out.lua>
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Preau.SchoolLife.Bench <sqlite-file> <base-url> <pupils> <out.lua>");
    return 2;
}

var (dbFile, baseUrl, pupilCount, outLua) = (args[0], new Uri(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3]);
const string Password = "Bench-preau-2026!";
// bcrypt at a low cost: the app accepts it, rehashes to Argon2id at first sign-in, and seeding stays fast.
var hash = BCrypt.Net.BCrypt.HashPassword(Password, 4);

var options = new DbContextOptionsBuilder<PreauDbContext>().UseSqlite($"Data Source={dbFile}").Options;
await using (var db = new PreauDbContext(options))
{
    var region = new Region { Code = "BENCH", Name = "Académie de banc d'essai" };
    var school = new School { RegionId = region.Id, Uai = "0759999Z", Name = "Collège du banc", City = "Paris" };
    var group = new Group { SchoolId = school.Id, Name = "4eB", Kind = GroupKind.Class, Level = "4e" };
    db.AddRange(region, school, group);
    var subjects = new[] { "Mathématiques", "Français", "Histoire-géographie", "Anglais", "SVT", "Physique-chimie" }
        .Select((n, i) => new Subject { RegionId = region.Id, Code = $"S{i}", Name = n }).ToList();
    db.AddRange(subjects);
    Person Add(string login, Profile profile)
    {
        var p = new Person { RegionId = region.Id, SchoolId = school.Id, Profile = profile, FirstName = login, LastName = "BANC" };
        db.Add(p);
        db.Add(new Account { PersonId = p.Id, Login = login, PasswordHash = hash, CreatedAt = DateTimeOffset.UtcNow });
        return p;
    }

    var teacher = Add("bench.teacher", Profile.Teacher);
    foreach (var s in subjects)
    {
        db.Add(new TeachingAssignment { TeacherId = teacher.Id, GroupId = group.Id, SubjectId = s.Id });
    }

    for (var i = 0; i < pupilCount; i++)
    {
        db.Add(new GroupMembership { GroupId = group.Id, PupilId = Add($"bench.pupil{i}", Profile.Pupil).Id });
    }

    // 26 lessons a week, the usual collège load.
    var slot = 0;
    foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
    {
        for (var h = 8; h < (day == DayOfWeek.Wednesday ? 12 : 17); h++)
        {
            if (h == 12)
            {
                continue;
            }

            db.Add(new TimetableLesson
            {
                SchoolId = school.Id, GroupId = group.Id, SubjectId = subjects[slot++ % subjects.Count].Id, TeacherId = teacher.Id,
                Room = $"B{10 + h}", Day = day, Start = new TimeOnly(h, 0), End = new TimeOnly(h, 55),
            });
        }
    }

    await db.SaveChangesAsync();
}

using var handler = new HttpClientHandler { UseCookies = true };
using var teacherClient = new HttpClient(handler) { BaseAddress = baseUrl };
(await teacherClient.PostAsJsonAsync("/api/v1/auth/login", new { login = "bench.teacher", password = Password })).EnsureSuccessStatusCode();
await using (var db = new PreauDbContext(options))
{
    var groupId = await db.Groups.Where(g => g.Name == "4eB").Select(g => g.Id).SingleAsync();
    var regionId = await db.Regions.Where(r => r.Code == "BENCH").Select(r => r.Id).SingleAsync();
    var subjectIds = await db.Subjects.Where(s => s.RegionId == regionId).OrderBy(s => s.Code).Select(s => s.Id).ToListAsync();
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    // A realistic week: 20 entries over the next 7 days, Markdown bodies with lists and links.
    for (var i = 0; i < 20; i++)
    {
        var response = await teacherClient.PostAsJsonAsync($"/api/v1/classes/{groupId}/homework", new
        {
            title = $"Travail n°{i} : exercices et leçon",
            body = "Relire la leçon **chapitre 4** puis faire :\n\n- l'exercice 12 page 87\n- l'exercice 15 page 88\n\nRendre sur feuille double. Voir https://example.org/ressource",
            subjectId = subjectIds[i % subjectIds.Count],
            dueDate = today.AddDays(i % 7),
            estimatedMinutes = 20 + (i % 4) * 10,
        });
        response.EnsureSuccessStatusCode();
    }
}

var cookies = new List<string>();
for (var i = 0; i < pupilCount; i++)
{
    using var pupilHandler = new HttpClientHandler { UseCookies = true };
    using var pupil = new HttpClient(pupilHandler) { BaseAddress = baseUrl };
    (await pupil.PostAsJsonAsync("/api/v1/auth/login", new { login = $"bench.pupil{i}", password = Password })).EnsureSuccessStatusCode();
    var cookie = pupilHandler.CookieContainer.GetCookies(baseUrl)["preau"] ?? throw new InvalidOperationException("no session cookie");
    cookies.Add($"preau={cookie.Value}");
}

var lua = new StringBuilder("-- generated by Preau.SchoolLife.Bench: one session cookie per pupil, used in turn\ncookies = {\n");
foreach (var c in cookies)
{
    lua.Append("  \"").Append(c).Append("\",\n");
}

lua.Append("}\ni = 0\nrequest = function()\n  i = (i % #cookies) + 1\n  wrk.headers[\"Cookie\"] = cookies[i]\n  return wrk.format(nil, nil)\nend\n");
await File.WriteAllTextAsync(outLua, lua.ToString());
Console.WriteLine($"Seeded and signed in {pupilCount} pupils; cookies in {outLua}");
return 0;
