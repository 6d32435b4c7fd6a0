namespace Preau.Surge.Measurement;

internal enum ErrorKind
{
    /// <summary>No answer within the impatience delay: the person pressed reload.</summary>
    Timeout,

    /// <summary>500–599 other than a 503 that carried Retry-After (that one is <see cref="Busy"/>).</summary>
    ServerError,

    /// <summary>503 with Retry-After outside the gate, e.g. the password-hashing lane is full.</summary>
    Busy,

    /// <summary>429 from an abuse limit.</summary>
    TooManyRequests,

    ConnectionRefused,

    /// <summary>Any other failure to get an answer (reset, DNS, protocol).</summary>
    Network,

    /// <summary>An unexpected 4xx (401 on a seeded login, 400, 403…): the person sees an error.</summary>
    Rejected,
}
