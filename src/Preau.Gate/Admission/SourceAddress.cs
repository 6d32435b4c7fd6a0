using System.Net;
using System.Net.Sockets;

namespace Preau.Gate.Admission;

/// <summary>
/// Who a request comes from, for every per-address limit: an IPv4 address as it is (an IPv4 client seen through a
/// dual-stack socket as <c>::ffff:a.b.c.d</c> included), an IPv6 address by its /64. A home or mobile connection is
/// given a whole /64 (often a /56) and may pick any address in it for every request: counted one by one, its
/// addresses would each get the full burst, and one flood would escape every per-address limit.
/// </summary>
public static class SourceAddress
{
    /// <summary>The key of <paramref name="address"/>'s source, or null when the request has no address.</summary>
    public static string? Key(IPAddress? address) => address switch
    {
        null => null,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => Convert.ToHexString(v6.GetAddressBytes(), 0, 8) + "/64",
        var v4 => v4.ToString(),
    };
}
