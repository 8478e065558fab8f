package io.nmstream.nmstate;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * nmstate's {@code dns-resolver.config}: name servers, search domains and resolver options ({@code rotate},
 * {@code ndots:2}). A null list was not mentioned; an empty list removes every entry.
 */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {

    public DnsConfig {
        servers = servers == null ? null : List.copyOf(servers);
        searches = searches == null ? null : List.copyOf(searches);
        options = options == null ? null : List.copyOf(options);
    }

    /** No name servers, search domains or options: what nmstate's {@code config: {}} asks for. */
    public static DnsConfig empty() {
        return new DnsConfig(List.of(), List.of(), List.of());
    }

    /**
     * This current configuration with what {@code desired} mentions replaced, as nmstate merges a desired resolver state.
     * Like a host's state read back, it has no options list when there are no options.
     */
    public DnsConfig overlay(DnsConfig desired) {
        List<String> newOptions = desired.options != null ? desired.options : options;
        return new DnsConfig(desired.servers != null ? desired.servers : servers, desired.searches != null ? desired.searches : searches,
            newOptions == null || newOptions.isEmpty() ? null : newOptions);
    }

    /** The options as a set: the resolver reads them in any order, and nmstate compares and reports them sorted. */
    public Set<String> optionSet() {
        return options == null ? Set.of() : new TreeSet<>(options);
    }

    public List<String> ipv4Servers() {
        return servers == null ? List.of() : servers.stream().filter(s -> !IpAddress.isIpv6(s)).toList();
    }

    public List<String> ipv6Servers() {
        return servers == null ? List.of() : servers.stream().filter(IpAddress::isIpv6).toList();
    }
}
