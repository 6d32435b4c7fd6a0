using System.Globalization;

namespace Preau.Gate;

/// <summary>
/// Everything the gate says to people. Defaults are plain French naming no service; the host sets its own
/// (its name, its profiles). Placeholders: <c>{0}</c>, <c>{1}</c> as documented on each text.
/// </summary>
public sealed class GateTexts
{
    /// <summary>Title of the waiting page.</summary>
    public string WaitingTitle { get; set; } = "Salle d'attente";

    /// <summary>Headline of the waiting page.</summary>
    public string WaitingHeadline { get; set; } = "Le service est très demandé en ce moment";

    /// <summary>First paragraph of the waiting page.</summary>
    public string WaitingIntro { get; set; } = "Vous êtes dans la file d'attente. Gardez cette page ouverte : elle se met à jour toute seule et vous laissera entrer dès que ce sera votre tour.";

    /// <summary>Label before the position.</summary>
    public string PositionLabel { get; set; } = "Votre place :";

    /// <summary>Label before the wait.</summary>
    public string EtaLabel { get; set; } = "Attente estimée :";

    /// <summary>Introduces the links served without waiting (essential mode).</summary>
    public string EssentialLinksIntro { get; set; } = "En attendant, sans faire la queue :";

    /// <summary>Small print at the bottom of the waiting page.</summary>
    public string WaitingFootnote { get; set; } = "L'estimation vient du rythme réel des entrées et des départs. Inutile de recharger la page : votre place est gardée, même si vous changez d'appareil après vous être connecté.";

    /// <summary>Says that a page refreshes itself ({0}: seconds), followed by <see cref="RefreshNowLabel"/> as a link.</summary>
    public string SelfRefreshNotice { get; set; } = "Cette page se met à jour toute seule toutes les {0} secondes.";

    /// <summary>The link that refreshes a self-refreshing page by hand.</summary>
    public string RefreshNowLabel { get; set; } = "Actualiser maintenant";

    /// <summary>Shown to a visitor who has no place yet (first request, no ticket): the next refresh gives one.</summary>
    public string NewcomerMessage { get; set; } = "Votre place dans la file vous est donnée au prochain rafraîchissement de cette page, dans quelques secondes.";

    /// <summary>Headline when the visitor's profile is closed.</summary>
    public string ClosedHeadline { get; set; } = "Accès momentanément fermé";

    /// <summary>Shown under a form posted while queued.</summary>
    public string FormKeptMessage { get; set; } = "Ce que vous avez saisi est gardé : le formulaire sera envoyé tout seul dès que ce sera votre tour.";

    /// <summary>Button that re-posts a kept form (works without JavaScript).</summary>
    public string FormKeptButton { get; set; } = "Envoyer quand c'est mon tour";

    /// <summary>Shown when a posted form carried files, which cannot be kept while waiting.</summary>
    public string FormFilesNotKept { get; set; } = "Les fichiers joints ne peuvent pas être gardés pendant l'attente : il faudra les joindre à nouveau.";

    /// <summary>Why a wait rose: capacity dropped.</summary>
    public string CapacityDropped { get; set; } = "La capacité d'accueil vient de baisser (serveurs ralentis ou limite abaissée) : l'attente estimée a été revue à la hausse.";

    /// <summary>Why a wait rose: places free up more slowly than measured before.</summary>
    public string SlowerThanPromised { get; set; } = "Les places se libèrent moins vite que prévu : l'attente estimée a été revue à la hausse.";

    /// <summary>Shown during the fair-start draw.</summary>
    public string FairStartDraw { get; set; } = "Tirage au sort en cours : les personnes arrivées dans les premières secondes sont placées dans un ordre aléatoire, recharger la page ne donne aucun avantage.";

    /// <summary>Title of the 503 problem given to API callers while queued.</summary>
    public string QueuedProblemTitle { get; set; } = "File d'attente";

    /// <summary>Detail of the 503 problem given to API callers while queued.</summary>
    public string QueuedProblemDetail { get; set; } = "Le service est très demandé : votre demande attend son tour. Réessayez après le délai indiqué par Retry-After.";

    /// <summary>Title of the 503 problem given to API callers whose profile is closed.</summary>
    public string ClosedProblemTitle { get; set; } = "Accès momentanément fermé";

    /// <summary>Title and headline of a held request (sign-in lane full).</summary>
    public string HoldTitle { get; set; } = "Connexion en attente";

    /// <summary>Default message of a held request.</summary>
    public string HoldMessage { get; set; } = "Beaucoup de connexions en même temps : votre connexion attend son tour.";

    /// <summary>Held request, {0} = seconds; {1} = the link back.</summary>
    public string HoldRetry { get; set; } = "Nouvel essai automatique dans {0} secondes. Vous n'avez rien à retaper si la page revient toute seule ; sinon, <a href=\"{1}\">réessayez</a>.";

    /// <summary>Title of a 429.</summary>
    public string TooManyTitle { get; set; } = "Trop de demandes";

    /// <summary>Headline of the 429 page.</summary>
    public string TooManyHeadline { get; set; } = "Un peu de patience";

    /// <summary>Detail of a 429.</summary>
    public string TooManyDetail { get; set; } = "Trop de demandes en peu de temps depuis ce compte ou cette adresse.";

    /// <summary>429 page, {0} = seconds.</summary>
    public string TooManyRetry { get; set; } = "Merci de patienter {0} secondes : la page reviendra toute seule.";

    /// <summary>Title of the public status page.</summary>
    public string PublicStatusTitle { get; set; } = "État du service";

    /// <summary>Public status: open.</summary>
    public string PublicOpen { get; set; } = "Ouvert";

    /// <summary>Public status: open, detail.</summary>
    public string PublicOpenDetail { get; set; } = "Le service est accessible normalement, sans attente.";

    /// <summary>Public status: queuing.</summary>
    public string PublicQueue { get; set; } = "File d'attente";

    /// <summary>Public status: queuing, {0} = wait of a newcomer, {1} = people waiting.</summary>
    public string PublicQueueDetail { get; set; } = "Le service est très demandé : les nouveaux arrivants attendent {0} ({1:N0} en attente).";

    /// <summary>Public status: a closed profile, {0} = profile (plural), {1} = message.</summary>
    public string PublicClosedFor { get; set; } = "Fermé pour les {0} : {1}";

    /// <summary>Public status: {0} = local time of the figures.</summary>
    public string PublicUpdated { get; set; } = "Mis à jour le {0}.";

    /// <summary>Closing window without its own message, {0} = profile (plural).</summary>
    public string WindowClosed { get; set; } = "L'accès des {0} est fermé pendant l'affluence.";

    /// <summary>Appended to a closing window's message, {0} = reopening time.</summary>
    public string WindowReopens { get; set; } = "Réouverture à {0}.";

    /// <summary>Time zone of the times shown to people (reopening, figures).</summary>
    public string TimeZone { get; set; } = "Europe/Paris";

    /// <summary>Culture of dates and times shown.</summary>
    public string Culture { get; set; } = "fr-FR";

    /// <summary>Wait under a minute.</summary>
    public string EtaUnderAMinute { get; set; } = "moins d'une minute";

    /// <summary>Wait beyond what is worth computing.</summary>
    public string EtaOverMax { get; set; } = "plus de 2 heures";

    /// <summary>
    /// No number yet: every place is taken and too few people have left to count the wait on, or the admission rate is
    /// still looking for what the servers hold (its slow start, or just after a deep cut). Both read true: the pace
    /// people are let in at is not known yet. Saying "every place is taken" in the second case was false on the closure
    /// morning, where places were free and the rate was the limit.
    /// </summary>
    public string EtaEstimating { get; set; } = "en cours d'estimation : le rythme des entrées n'est pas encore assez connu";

    /// <summary>{0} = minutes.</summary>
    public string EtaUpTo { get; set; } = "moins de {0} minutes";

    /// <summary>{0}, {1} = minutes.</summary>
    public string EtaBetween { get; set; } = "entre {0} et {1} minutes";

    /// <summary>Plural names of profiles, as people read them ("Parent" → "parents"); the profile name when absent.</summary>
    public Dictionary<string, string> ProfilePlurals { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    internal CultureInfo CultureInfo => CultureInfo.GetCultureInfo(Culture);

    internal string Plural(string profile) => ProfilePlurals.TryGetValue(profile, out var name) ? name : profile;

    internal string Format(string text, params object[] args) => string.Format(CultureInfo, text, args);
}
