"""Source-address ranges that count as the public internet, for every cloud's network rules.

AWS's definition of a public policy ("The meaning of "public"", S3 User Guide) counts a range
broader than /8 (IPv4) or /32 (IPv6) as public; the same yardstick judges an Azure firewall.
Example: ``10.0.0.0/8`` is restricted, ``0.0.0.0/1`` and ``128.0.0.0/1`` together are everyone.
"""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NARROWEST_PUBLIC = {4: 8, 6: 32}  # prefix lengths below these are public


def networks(values: tuple[str, ...]) -> list[Network] | None:
    """The CIDRs (or single addresses) of the values; None when one does not parse."""
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError:
        return None


def broad(ranges: list[Network]) -> list[Network]:
    """The ranges broad enough to count as the public internet."""
    return [network for network in ranges if network.prefixlen < NARROWEST_PUBLIC[network.version]]
