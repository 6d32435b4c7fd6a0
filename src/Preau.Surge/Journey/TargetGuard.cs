using System.Net;
using Preau.Surge.Cli;

namespace Preau.Surge.Journey;

/// <summary>The simulator only ever talks to this machine: a load generator aimed at the wrong address is an attack.</summary>
internal static class TargetGuard
{
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public static Uri Parse(string text, string optionName)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new SurgeInputException($"{optionName} : « {text} » n'est pas une adresse http(s).");
        }

        if (!IsLoopback(uri))
        {
            throw new SurgeInputException($"{optionName} : {uri.Host} n'est pas une adresse locale ; le simulateur ne vise que 127.0.0.0/8, ::1 ou localhost.");
        }

        return uri;
    }
}
