using Preau.Gate;
using Preau.Data.Directory;

namespace Preau.Web.Features.Gate;

/// <summary>
/// What the gate library leaves to its host, as Préau sets it: French routes and words, the lanes of an ENT
/// (staff first, then pupils and parents), the account flows that go through the sign-in lane, and the
/// machine endpoints that are never queued. Configuration (section <c>Gate</c>) still overrides lanes,
/// anonymous lane, and adds bypass and sign-in paths.
/// </summary>
internal static class PreauGateDefaults
{
    /// <summary>Sign-in and every flow that ends in a password: never queued, held by the hashing lane instead.</summary>
    private static readonly string[] s_signInPaths =
        ["/connexion", "/api/v1/auth/login", "/activation", "/api/v1/auth/activate", "/compte/mot-de-passe"];

    /// <summary>Machines, not people: health, metrics, the calendar feed, connected apps validating a CAS ticket or
    /// redeeming an OpenID Connect code (abuse limits still apply).</summary>
    private static readonly string[] s_machinePaths =
        ["/healthz", "/readyz", "/metrics", "/ical", "/cas/serviceValidate", "/cas/p3/serviceValidate", "/cas/validate",
            "/.well-known", "/connect/token", "/connect/userinfo"];

    public static void Apply(GateOptions gate)
    {
        // configuration binds before this runs: only fill what it left empty
        if (gate.Lanes.Count == 0)
        {
            gate.Lanes["Staff"] = new GateLaneOptions
            {
                Share = 15,
                Priority = 0,
                DisplayName = "Personnels",
                Profiles = [nameof(Profile.Teacher), nameof(Profile.Staff), nameof(Profile.SchoolAdmin), nameof(Profile.RegionAdmin)],
            };
            gate.Lanes["Pupil"] = new GateLaneOptions { Share = 70, Priority = 1, DisplayName = "Élèves", Profiles = [nameof(Profile.Pupil)] };
            gate.Lanes["Parent"] = new GateLaneOptions { Share = 15, Priority = 1, DisplayName = "Parents", Profiles = [nameof(Profile.Parent)] };
        }
        if (string.IsNullOrEmpty(gate.AnonymousLane))
        {
            gate.AnonymousLane = "Pupil";
        }
        gate.SignInPaths.AddRange(s_signInPaths.Except(gate.SignInPaths, StringComparer.OrdinalIgnoreCase));
        gate.BypassPaths.AddRange(s_machinePaths.Except(gate.BypassPaths, StringComparer.OrdinalIgnoreCase));
        gate.Routes.Status = "/api/v1/gate/status";
        gate.Routes.Waiting = "/attente";
        gate.Routes.PublicStatus = "/statut";
        gate.CookieName = "preau_gate";
        gate.TicketHeader = "X-Preau-Gate";

        var texts = gate.Texts;
        texts.WaitingTitle = "Préau – salle d'attente";
        texts.WaitingHeadline = "Préau est très demandé en ce moment";
        texts.QueuedProblemDetail = "Préau est très demandé : votre demande attend son tour. Réessayez après le délai indiqué par Retry-After.";
        texts.HoldTitle = "Connexion en attente";
        texts.PublicStatusTitle = "État du service Préau";
        texts.PublicOpenDetail = "Préau est accessible normalement, sans attente.";
        texts.PublicQueueDetail = "Préau est très demandé : les nouveaux arrivants attendent {0} ({1:N0} en attente).";
        texts.PublicUpdated = "Mis à jour le {0} (heure de Paris).";
        texts.WindowClosed = "L'accès des {0} est fermé pendant l'affluence, pour laisser la place aux élèves et aux enseignants.";
        foreach (var (profile, plural) in new[]
        {
            (Profile.Parent, "parents"), (Profile.Pupil, "élèves"), (Profile.Teacher, "enseignants"), (Profile.Staff, "personnels"),
            (Profile.SchoolAdmin, "administrateurs d'établissement"), (Profile.RegionAdmin, "administrateurs régionaux"),
        })
        {
            texts.ProfilePlurals[profile.ToString()] = plural;
        }
    }

    /// <summary>French names of the controller's reasons, for the region administrator.</summary>
    public static string Reason(string code) => code switch
    {
        "latency" => "latence au-dessus de la cible",
        "server-failures" => "pannes côté serveur (délais dépassés, base injoignable)",
        "thread-pool" => "serveur saturé (file de travail du pool de threads)",
        "healthy" => "intervalle sain avec des personnes en attente",
        "no-queue" => "personne n'attend : débit inchangé",
        "too-few-samples" => "trop peu de requêtes mesurées",
        "warm-up" => "démarrage : observation seulement",
        "pacing" => "débit déjà ajusté par un autre nœud",
        _ => code,
    };

    /// <summary>French name of a decision.</summary>
    public static string Decision(string code) => code switch
    {
        "increase" => "hausse",
        "decrease" => "baisse",
        _ => "maintien",
    };
}
