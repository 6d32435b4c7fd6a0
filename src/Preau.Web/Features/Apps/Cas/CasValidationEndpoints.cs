using System.Text;
using System.Xml;

namespace Preau.Web.Features.Apps.Cas;

/// <summary>
/// Ticket validation by apps (anyone may call it: the ticket is the credential). Machine endpoints: the gate
/// never queues them (PreauGateDefaults), per-address limits still apply, and no password is hashed. Every
/// answer is 200 with the protocol's body, as the CAS specification asks, errors included.
/// </summary>
internal static class CasValidationEndpoints
{
    private const string CasNamespace = "http://www.yale.edu/tp/cas";

    public static void MapCasValidation(this WebApplication app)
    {
        var cas = app.MapGroup("/cas").AllowAnonymous().ExcludeFromDescription();
        cas.MapGet("/serviceValidate", (HttpContext http, CasTickets tickets, CancellationToken ct) => ServiceValidateAsync(http, tickets, false, ct));
        cas.MapGet("/p3/serviceValidate", (HttpContext http, CasTickets tickets, CancellationToken ct) => ServiceValidateAsync(http, tickets, true, ct));
        cas.MapGet("/validate", ValidateAsync);
    }

    /// <summary>CAS 2.0 (no attributes) and 3.0 (attributes the app was granted).</summary>
    private static async Task<IResult> ServiceValidateAsync(HttpContext http, CasTickets tickets, bool withAttributes, CancellationToken ct)
    {
        var query = http.Request.Query;
        var result = await tickets.ValidateAsync(query["ticket"], query["service"], withAttributes, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(ServiceResponse(result), "text/xml; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>CAS 1.0: "yes" and the user, or "no".</summary>
    private static async Task<IResult> ValidateAsync(HttpContext http, CasTickets tickets, CancellationToken ct)
    {
        var query = http.Request.Query;
        var result = await tickets.ValidateAsync(query["ticket"], query["service"], false, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(result.Success ? $"yes\n{result.User}\n" : "no\n\n", "text/plain; charset=utf-8", Encoding.UTF8);
    }

    public static string ServiceResponse(CasValidation result)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true }))
        {
            xml.WriteStartElement("cas", "serviceResponse", CasNamespace);
            if (result.ErrorCode is { } code)
            {
                xml.WriteStartElement("cas", "authenticationFailure", CasNamespace);
                xml.WriteAttributeString("code", code);
                xml.WriteString(result.Message);
                xml.WriteEndElement();
            }
            else
            {
                xml.WriteStartElement("cas", "authenticationSuccess", CasNamespace);
                xml.WriteElementString("cas", "user", CasNamespace, result.User);
                if (result.Attributes.Count > 0)
                {
                    xml.WriteStartElement("cas", "attributes", CasNamespace);
                    foreach (var (name, value) in result.Attributes)
                    {
                        xml.WriteElementString("cas", name, CasNamespace, value);
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        return text.ToString();
    }
}
