namespace Preau.Web.Features.Accounts.External;

/// <summary>The French page each outcome of an external sign-in lands on.</summary>
internal static class ExternalOutcomePages
{
    private static readonly Dictionary<ExternalOutcome, string> s_slugs = new()
    {
        [ExternalOutcome.Linked] = "relie",
        [ExternalOutcome.NoMatch] = "inconnu",
        [ExternalOutcome.Ambiguous] = "plusieurs",
        [ExternalOutcome.Deactivated] = "desactive",
        [ExternalOutcome.Failed] = "erreur",
    };

    public static string Path(ExternalOutcome outcome) =>
        ExternalSignInSetup.ChallengePath + "/" + s_slugs.GetValueOrDefault(outcome, s_slugs[ExternalOutcome.Failed]);

    public static ExternalOutcome? Parse(string slug) =>
        s_slugs.FirstOrDefault(p => string.Equals(p.Value, slug, StringComparison.Ordinal)) is { Value: not null } hit
            ? hit.Key
            : null;
}
