package io.nmstream.nmstate;

import java.util.List;

/**
 * nmstate's {@code dns-resolver.config}: name servers and search domains. A null list was not mentioned; an empty list
 * removes every entry.
 */
public record DnsConfig(List<String> servers, List<String> searches) {

    public DnsConfig {
        servers = servers == null ? null : List.copyOf(servers);
        searches = searches == null ? null : List.copyOf(searches);
    }

    public List<String> ipv4Servers() {
        return servers == null ? List.of() : servers.stream().filter(s -> !IpAddress.isIpv6(s)).toList();
    }

    public List<String> ipv6Servers() {
        return servers == null ? List.of() : servers.stream().filter(IpAddress::isIpv6).toList();
    }
}
