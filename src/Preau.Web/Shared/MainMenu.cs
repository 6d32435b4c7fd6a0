using Preau.Data.Directory;

namespace Preau.Web.Shared;

/// <summary>One link of the main menu; <see cref="PerChild"/> links carry the parent's chosen child.</summary>
internal sealed record MenuLink(string Href, string Label, bool PerChild = false);

/// <summary>
/// The main menu each profile gets on every page, and the child a parent last chose, kept in a
/// cookie so that moving from the homework to the timetable keeps the same child. The cookie
/// only picks a child: every page still checks that it is this parent's child.
/// </summary>
internal static class MainMenu
{
    public const string ChildCookie = "preau-eleve";

    public static IReadOnlyList<MenuLink> For(Profile? profile)
    {
        var links = new List<MenuLink> { new("/", "Accueil", PerChild: true) };
        if (profile is Profile.Pupil or Profile.Parent or Profile.Teacher or Profile.Staff or Profile.SchoolAdmin)
        {
            links.Add(new("/devoirs", profile is Profile.Pupil or Profile.Parent ? "Devoirs" : "Cahier de textes", PerChild: true));
        }

        if (profile is Profile.Pupil or Profile.Parent or Profile.Teacher)
        {
            links.Add(new("/emploi-du-temps", "Emploi du temps", PerChild: true));
        }

        if (profile is Profile.Staff or Profile.SchoolAdmin)
        {
            links.Add(new("/etablissement/emploi-du-temps", "Emploi du temps"));
        }

        if (profile is Profile.Pupil or Profile.Parent)
        {
            links.Add(new("/notes", "Notes", PerChild: true));
        }
        else if (profile is Profile.Teacher or Profile.Staff or Profile.SchoolAdmin)
        {
            links.Add(new("/evaluations", "Évaluations"));
        }
        // Attendance: the register for teachers, the day for the office, a pupil's own absences.
        links.AddRange(profile switch
        {
            Profile.Teacher => [new("/appel", "Appel")],
            Profile.Staff or Profile.SchoolAdmin => [new("/vie-scolaire/absences", "Absences")],
            Profile.Pupil or Profile.Parent => [new MenuLink("/absences", "Absences", PerChild: true)],
            _ => [],
        });

        if (profile is not Profile.RegionAdmin)
        {
            links.Add(new("/messagerie", "Messagerie"));
            links.Add(new("/actualites", "Actualités"));
            links.Add(new("/fil", "Quoi de neuf"));
        }

        if (profile == Profile.SchoolAdmin)
        {
            links.Add(new("/messagerie/regles", "Administration"));
        }

        if (profile == Profile.RegionAdmin)
        {
            links.Add(new("/admin/portail", "Administration du portail"));
            links.Add(new("/region/applications", "Applications"));
            links.Add(new("/statut", "État du service"));
        }

        return links;
    }

    /// <summary>The child shown: the one in the address (remembered for the next pages), else the remembered one.</summary>
    public static Guid? ChosenChild(HttpContext http)
    {
        // A child the page refused (not this parent's) is neither remembered nor carried in the menu's links.
        if (Guid.TryParse(http.Request.Query["eleve"], out var fromQuery) && http.Response.StatusCode < 400)
        {
            if (!http.Response.HasStarted && http.Request.Cookies[ChildCookie] != fromQuery.ToString())
            {
                http.Response.Cookies.Append(ChildCookie, fromQuery.ToString(), new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, IsEssential = true, Path = "/",
                });
            }

            return fromQuery;
        }

        return Guid.TryParse(http.Request.Cookies[ChildCookie], out var remembered) ? remembered : null;
    }

    public static string HrefFor(MenuLink link, Guid? child) =>
        link.PerChild && child is { } c ? $"{link.Href}?eleve={c}" : link.Href;

    /// <summary>The link of the section the page belongs to (the longest matching prefix).</summary>
    public static bool IsCurrent(MenuLink link, IReadOnlyList<MenuLink> all, PathString path)
    {
        bool Matches(MenuLink l) => l.Href == "/" ? path == "/" : path.StartsWithSegments(l.Href, StringComparison.OrdinalIgnoreCase);
        return Matches(link) && !all.Any(other => other != link && other.Href.Length > link.Href.Length && Matches(other));
    }
}
