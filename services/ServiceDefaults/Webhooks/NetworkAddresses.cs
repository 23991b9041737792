using System.Net;
using System.Net.Sockets;

namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>Which IP addresses a webhook may reach: only globally routable unicast ones.</summary>
public static class NetworkAddresses
{
    /// <summary>IPv4 ranges that are not the public internet (RFC 6890 and friends), as (network, prefix length).</summary>
    static readonly (uint Network, int Prefix)[] NonPublicV4 =
    [
        (Ip(0, 0, 0, 0), 8),        // "this network", including 0.0.0.0 (unspecified)
        (Ip(10, 0, 0, 0), 8),       // private (RFC 1918)
        (Ip(100, 64, 0, 0), 10),    // carrier-grade NAT (RFC 6598)
        (Ip(127, 0, 0, 0), 8),      // loopback
        (Ip(169, 254, 0, 0), 16),   // link-local, including the cloud metadata address 169.254.169.254
        (Ip(172, 16, 0, 0), 12),    // private (RFC 1918)
        (Ip(192, 0, 0, 0), 24),     // IETF protocol assignments
        (Ip(192, 0, 2, 0), 24),     // documentation
        (Ip(192, 88, 99, 0), 24),   // 6to4 relay anycast
        (Ip(192, 168, 0, 0), 16),   // private (RFC 1918)
        (Ip(198, 18, 0, 0), 15),    // benchmarking
        (Ip(198, 51, 100, 0), 24),  // documentation
        (Ip(203, 0, 113, 0), 24),   // documentation
        (Ip(224, 0, 0, 0), 4),      // multicast
        (Ip(240, 0, 0, 0), 4),      // reserved, including the broadcast address 255.255.255.255
    ];

    /// <summary>
    /// True when <paramref name="address"/> is a globally routable unicast address. Loopback, private (RFC 1918,
    /// fc00::/7), link-local, carrier-grade NAT, unspecified, multicast, broadcast, documentation and reserved
    /// ranges are not; an IPv6 address that embeds an IPv4 one (mapped, compatible, NAT64) is judged by it, and the
    /// tunnels that reach an embedded IPv4 address (6to4, Teredo) are refused.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var value = ToUInt32(address.GetAddressBytes());
            return !NonPublicV4.Any(range => InRange(value, range.Network, range.Prefix));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        if (EmbeddedV4(bytes) is { } embedded)
        {
            return IsPublic(embedded);
        }

        // Only 2000::/3 is global unicast; inside it, the non-public blocks.
        if ((bytes[0] & 0xE0) != 0x20)
        {
            return false;
        }

        var first32 = ToUInt32(bytes);
        return !(first32 == 0x20010000                  // Teredo 2001::/32: a tunnel to an IPv4 address it embeds
            || ((first32 >> 16) == 0x2001 && bytes[2] < 0x02) // 2001::/23: IETF protocol assignments
            || first32 == 0x20010DB8                    // documentation
            || (first32 >> 16) == 0x2002);              // 6to4: a tunnel to an IPv4 address it embeds
    }

    /// <summary>The IPv4 address an IPv6 one stands for: IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) or NAT64 (64:ff9b::/96).</summary>
    static IPAddress? EmbeddedV4(byte[] bytes)
    {
        var zeroPrefix = bytes.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;
        if (zeroPrefix && ((bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)))
        {
            // ::/96 holds :: and ::1 too, which read as 0.0.0.0 and 0.0.0.1: both refused as "this network".
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        var nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        return nat64 ? new IPAddress(bytes.AsSpan(12, 4)) : null;
    }

    static bool InRange(uint value, uint network, int prefix) => prefix == 0 || (value >> (32 - prefix)) == (network >> (32 - prefix));

    static uint ToUInt32(ReadOnlySpan<byte> bytes) => (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];

    static uint Ip(byte a, byte b, byte c, byte d) => ToUInt32([a, b, c, d]);
}
