using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Preau.Gate;

/// <summary>What counts as the server's own failure for the admission controller.</summary>
public static class GateFailures
{
    /// <summary>
    /// Timeouts, unreachable databases and sockets, and 503/504 answers: failures that more admissions would
    /// make worse. A 500 thrown by a request's own bad input (a parse error, an edge date) is not one: it says
    /// nothing about load, and counting it would let any user throttle everyone.
    /// </summary>
    public static bool IsServerFailure(HttpContext context, Exception? exception)
    {
        if (exception is not null)
        {
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is TimeoutException or DbException or SocketException or TaskCanceledException { InnerException: TimeoutException })
                {
                    return true;
                }
            }
            return false;
        }
        return context.Response.StatusCode is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout
            && !context.Response.Headers.ContainsKey(GateSignals.Header);
    }
}
