package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of a desired state is reported at the path to fix, with what is allowed; every problem of a document at once. */
class NmstateParserRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParsedState parsePolicy(String yaml) {
        return NmstateParser.parse(tree(yaml), ParseOptions.policy(Set.of("eth0-iface")));
    }

    private static String ifaces(String items) {
        return "interfaces:\n" + items.indent(2);
    }

    /** A linux-bridge br0 with these {@code options}. */
    private static String bridgeOptions(String options) {
        return ifaces("- name: br0\n  type: linux-bridge\n  bridge: {options: {" + options + "}}");
    }

    static Stream<Arguments> refusedStates() {
        return Stream.of(
            Arguments.of("unknown key with a near known one", ifaces("- name: eth0\n  mtuu: 1400"), "interfaces[0].mtuu",
                "unknown field of an interface; did you mean mtu? (known fields: name, description, type, state"),
            Arguments.of("unknown key that is a prefix of a known one", ifaces("- name: eth0\n  desc: x"), "interfaces[0].desc",
                "did you mean description?"),
            Arguments.of("unknown section", "interface: []", "interface", "did you mean interfaces?"),
            Arguments.of("section nmstream does not apply", "hostname: {config: node1}", "hostname",
                "hostname is known to nmstate, but nmstream does not apply it"),
            Arguments.of("type nmstate knows that nmstream does not", ifaces("- name: team0\n  type: team"), "interfaces[0].type",
                "interface type team is not supported by nmstream (supported: ethernet, bond, vlan"),
            Arguments.of("type nobody knows", ifaces("- name: eth0\n  type: ethernets"), "interfaces[0].type",
                "'ethernets' is not an interface type"),
            Arguments.of("state", ifaces("- name: eth0\n  state: enabled"), "interfaces[0].state",
                "must be one of up, down, absent, ignore"),
            Arguments.of("name too long", ifaces("- name: abcdefghijklmnop"), "interfaces[0].name", "1 to 15 characters"),
            Arguments.of("name with a colon", ifaces("- name: \"eth0:1\""), "interfaces[0].name", "without '/', ':' or whitespace"),
            Arguments.of("missing name", ifaces("- type: ethernet"), "interfaces[0].name", "every interface needs a name"),
            Arguments.of("MTU below 68", ifaces("- name: eth0\n  mtu: 67"), "interfaces[0].mtu", "from 68 to 65535"),
            Arguments.of("MTU above 65535", ifaces("- name: eth0\n  mtu: 65536"), "interfaces[0].mtu", "from 68 to 65535"),
            Arguments.of("MTU below the IPv6 minimum", ifaces("- name: eth0\n  mtu: 1279\n  ipv6: {enabled: true}"), "interfaces[0].mtu",
                "at least 1280 while ipv6.enabled is true"),
            Arguments.of("MTU of the wrong kind", ifaces("- name: eth0\n  mtu: [1500]"), "interfaces[0].mtu", "must be an integer"),
            Arguments.of("MAC address", ifaces("- name: eth0\n  mac-address: 52:54:00:12:34"), "interfaces[0].mac-address",
                "must be a MAC address"),
            Arguments.of("boolean of the wrong kind", ifaces("- name: eth0\n  ipv4: {enabled: \"yes\"}"), "interfaces[0].ipv4.enabled",
                "must be true or false"),
            Arguments.of("IPv6 address under ipv4", ifaces("- name: eth0\n  ipv4: {address: [{ip: \"2001:db8::1\", prefix-length: 64}]}"),
                "interfaces[0].ipv4.address[0].ip", "must be an IPv4 address"),
            Arguments.of("prefix too long", ifaces("- name: eth0\n  ipv6: {address: [{ip: \"2001:db8::1\", prefix-length: 129}]}"),
                "interfaces[0].ipv6.address[0].prefix-length", "from 0 to 128"),
            Arguments.of("address twice", ifaces("- name: eth0\n  ipv4: {address: [{ip: 10.0.0.1, prefix-length: 24}, "
                + "{ip: 10.0.0.1, prefix-length: 24}]}"), "interfaces[0].ipv4.address[1].ip", "each address may be listed once"),
            Arguments.of("autoconf on IPv4", ifaces("- name: eth0\n  ipv4: {autoconf: true}"), "interfaces[0].ipv4.autoconf",
                "autoconf is IPv6 only"),
            Arguments.of("per-interface forwarding", ifaces("- name: eth0\n  ipv4: {enabled: true, forwarding: true}"),
                "interfaces[0].ipv4.forwarding", "NetworkManager has no per-interface forwarding setting"),
            Arguments.of("LLDP neighbors", ifaces("- name: eth0\n  lldp: {enabled: true, neighbors: []}"), "interfaces[0].lldp.neighbors",
                "neighbors is read-only in nmstate"),
            Arguments.of("duplex", ifaces("- name: eth0\n  type: ethernet\n  ethernet: {duplex: quarter}"), "interfaces[0].ethernet.duplex",
                "one of full, half"),
            Arguments.of("VF beyond total-vfs", ifaces("- name: eth0\n  ethernet: {sr-iov: {total-vfs: 2, vfs: [{id: 2}]}}"),
                "interfaces[0].ethernet.sr-iov.vfs[0].id", "from 0 to 1"),
            Arguments.of("VF qos", ifaces("- name: eth0\n  ethernet: {sr-iov: {total-vfs: 2, vfs: [{id: 1, qos: 8}]}}"),
                "interfaces[0].ethernet.sr-iov.vfs[0].qos", "from 0 to 7"),
            Arguments.of("VF MAC", ifaces("- name: eth0\n  ethernet: {sr-iov: {total-vfs: 2, vfs: [{id: 1, mac-address: x}]}}"),
                "interfaces[0].ethernet.sr-iov.vfs[0].mac-address", "must be a MAC address"),
            Arguments.of("PFC priority 8", ifaces("- name: eth0\n  ieee-8021Qaz: {pfc: {enabled: [3, 8]}}"),
                "interfaces[0].ieee-8021Qaz.pfc.enabled[1]", "from 0 to 7"),
            Arguments.of("PFC priority twice", ifaces("- name: eth0\n  ieee-8021Qaz: {pfc: {enabled: [3, 3]}}"),
                "interfaces[0].ieee-8021Qaz.pfc.enabled[1]", "each priority may be listed once"),
            Arguments.of("PFC delay negative", ifaces("- name: eth0\n  ieee-8021Qaz: {pfc: {enabled: [3], delay: -1}}"),
                "interfaces[0].ieee-8021Qaz.pfc.delay", "from 0 to"),
            Arguments.of("PFC delay a node cannot set", ifaces("- name: eth0\n  ieee-8021Qaz: {pfc: {enabled: [3], delay: 100}}"),
                "interfaces[0].ieee-8021Qaz.pfc.delay", "must be 0: a PFC delay allowance is not supported by nmstream"),
            Arguments.of("ETS sum", ifaces("- name: eth0\n  ieee-8021Qaz: {ets: {traffic-class: [{traffic-class: 0, bandwidth: 70}, "
                + "{traffic-class: 3, bandwidth: 20}]}}"), "interfaces[0].ieee-8021Qaz.ets.traffic-class", "must add up to 100"),
            Arguments.of("ETS class twice", ifaces("- name: eth0\n  ieee-8021Qaz: {ets: {traffic-class: "
                + "[{traffic-class: 3, bandwidth: 50}, "
                + "{traffic-class: 3, bandwidth: 50}]}}"), "interfaces[0].ieee-8021Qaz.ets.traffic-class[1].traffic-class",
                "each traffic class may be listed once"),
            Arguments.of("ETS bandwidth above 100", ifaces("- name: eth0\n  ieee-8021Qaz: {ets: {traffic-class: [{traffic-class: 0, "
                + "bandwidth: 101}]}}"), "interfaces[0].ieee-8021Qaz.ets.traffic-class[0].bandwidth", "from 0 to 100"),
            Arguments.of("ETS algorithm nmstream does not apply", ifaces("- name: eth0\n  ieee-8021Qaz: {ets: {traffic-class: "
                + "[{traffic-class: 0, bandwidth: 100, algorithm: credit-based-shaper}]}}"),
                "interfaces[0].ieee-8021Qaz.ets.traffic-class[0].algorithm", "one of enhanced-transmission-selection, strict-priority"),
            Arguments.of("strict class with a share", ifaces("- name: eth0\n  ieee-8021Qaz: {ets: {traffic-class: [{traffic-class: 0, "
                + "bandwidth: 100}, {traffic-class: 5, bandwidth: 10, algorithm: strict-priority}]}}"),
                "interfaces[0].ieee-8021Qaz.ets.traffic-class[1].bandwidth", "strict-priority must have 0"),
            Arguments.of("DCB on a bond", ifaces("- name: bond0\n  type: bond\n  ieee-8021Qaz: {pfc: {enabled: [3]}}"),
                "interfaces[0].ieee-8021Qaz", "ieee-8021Qaz is only valid on an ethernet"),
            Arguments.of("bond block on a VLAN", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: eth0, id: 5}\n"
                + "  link-aggregation: {mode: 802.3ad}"), "interfaces[0].link-aggregation", "link-aggregation is only valid on a bond"),
            Arguments.of("bond mode", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: lacp}"),
                "interfaces[0].link-aggregation.mode", "one of balance-rr, active-backup"),
            Arguments.of("bond option unknown", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + "options: {miimon_ms: 100}}"), "interfaces[0].link-aggregation.options.miimon_ms", "did you mean miimon?"),
            Arguments.of("bond option miimon", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + "options: {miimon: often}}"), "interfaces[0].link-aggregation.options.miimon", "must be an integer"),
            Arguments.of("lacp_rate outside 802.3ad", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: active-backup, "
                + "options: {lacp_rate: fast}}"), "interfaces[0].link-aggregation.options.lacp_rate", "only valid with mode 802.3ad"),
            Arguments.of("xmit_hash_policy", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + "options: {xmit_hash_policy: layer4}}"), "interfaces[0].link-aggregation.options.xmit_hash_policy", "layer3+4"),
            Arguments.of("bond port and slaves both", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + "port: [eth1], slaves: [eth2]}"), "interfaces[0].link-aggregation.slaves", "given once, under port"),
            Arguments.of("controller listing itself", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + "port: [eth1, bond0]}"), "interfaces[0].link-aggregation.port[1]", "cannot be its own port"),
            Arguments.of("port of two controllers", ifaces("- name: bond0\n  type: bond\n"
                + "  link-aggregation: {mode: 802.3ad, port: [eth1]}\n"
                + "- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1}]}"), "interfaces[1].bridge.port[0].name",
                "already a port of bond0"),
            Arguments.of("port removed", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, port: [eth1]}\n"
                + "- name: eth1\n  state: absent"), "interfaces[0].link-aggregation.port[0]", "removed (state: absent)"),
            Arguments.of("port with addresses", ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, port: [eth1]}\n"
                + "- name: eth1\n  ipv4: {enabled: true, address: [{ip: 10.0.0.1, prefix-length: 24}]}"), "interfaces[1].ipv4",
                "a port of bond0 cannot have IP addresses of its own"),
            Arguments.of("new VLAN without its block", ifaces("- name: v5\n  type: vlan"), "interfaces[0].vlan",
                "needs vlan.base-iface and vlan.id"),
            Arguments.of("VLAN without base", ifaces("- name: v5\n  type: vlan\n  vlan: {id: 5}"), "interfaces[0].vlan.base-iface",
                "the name of the interface this one is stacked on"),
            Arguments.of("VLAN id", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: eth0, id: 4095}"), "interfaces[0].vlan.id",
                "from 0 to 4094"),
            Arguments.of("VLAN protocol nmstate does not have", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: eth0, id: 5, "
                + "protocol: 802.1x}"), "interfaces[0].vlan.protocol", "must be one of 802.1q, 802.1ad"),
            Arguments.of("VLAN registration protocol", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: eth0, id: 5, "
                + "registration-protocol: stp}"), "interfaces[0].vlan.registration-protocol", "must be one of gvrp, mvrp, none"),
            Arguments.of("VLAN reorder-headers not a boolean", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: eth0, id: 5, "
                + "reorder-headers: sometimes}"), "interfaces[0].vlan.reorder-headers", "true or false"),
            Arguments.of("VLAN on itself", ifaces("- name: v5\n  type: vlan\n  vlan: {base-iface: v5, id: 5}"),
                "interfaces[0].vlan.base-iface", "cannot be stacked on itself"),
            Arguments.of("VLAN on a removed base", ifaces("- name: eth0\n  state: absent\n- name: v5\n  type: vlan\n"
                + "  vlan: {base-iface: eth0, id: 5}"), "interfaces[1].vlan.base-iface", "the base interface is removed"),
            Arguments.of("VLAN MTU above its base's", ifaces("- name: eth0\n  mtu: 1500\n- name: v5\n  type: vlan\n  mtu: 9000\n"
                + "  vlan: {base-iface: eth0, id: 5}"), "interfaces[1].mtu", "at most the mtu of its base interface eth0 (1500)"),
            Arguments.of("MAC-VLAN MTU above its base's", ifaces("- name: mv0\n  type: mac-vlan\n  mtu: 9000\n"
                + "  mac-vlan: {base-iface: eth1, mode: bridge}\n- name: eth1\n  mtu: 8000"), "interfaces[0].mtu",
                "a mac-vlan's MTU cannot exceed its base's"),
            Arguments.of("STP timer", bridgeOptions("stp: {forward-delay: 31}"),
                "interfaces[0].bridge.options.stp.forward-delay", "from 2 to 30"),
            Arguments.of("bridge port VLAN mode", ifaces("- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1, "
                + "vlan: {mode: hybrid}}]}"), "interfaces[0].bridge.port[0].vlan.mode", "one of trunk, access"),
            Arguments.of("trunk range reversed", ifaces("- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1, "
                + "vlan: {mode: trunk, trunk-tags: [{id-range: {min: 500, max: 200}}]}}]}"),
                "interfaces[0].bridge.port[0].vlan.trunk-tags[0].id-range.min", "not be greater than max"),
            Arguments.of("OVS bridge STP as a mapping of something else", ifaces("- name: br0\n  type: ovs-bridge\n  bridge: "
                + "{options: {stp: {enable: true}}}"), "interfaces[0].bridge.options.stp.enable", "did you mean enabled?"),
            Arguments.of("OVS bridge port VLAN", ifaces("- name: br0\n  type: ovs-bridge\n  bridge: {port: [{name: eth1, "
                + "vlan: {mode: access, tag: 5}}]}"), "interfaces[0].bridge.port[0].vlan", "nmstream does not apply it"),
            Arguments.of("VRF without table", ifaces("- name: vrf1\n  type: vrf\n  vrf: {port: [eth1]}"),
                "interfaces[0].vrf.route-table-id",
                "a routing table id"),
            Arguments.of("VRF on the local table", ifaces("- name: vrf1\n  type: vrf\n  vrf: {route-table-id: 255}"),
                "interfaces[0].vrf.route-table-id", "the kernel's local table"),
            Arguments.of("MAC-VLAN mode", ifaces("- name: mv0\n  type: mac-vlan\n  mac-vlan: {base-iface: eth0, mode: hairpin}"),
                "interfaces[0].mac-vlan.mode", "one of vepa, bridge, private, passthru, source"),
            Arguments.of("MAC-VLAN without base", ifaces("- name: mv0\n  type: mac-vlan\n  mac-vlan: {mode: bridge}"),
                "interfaces[0].mac-vlan.base-iface", "stacked on"),
            Arguments.of("VXLAN id", ifaces("- name: vx0\n  type: vxlan\n  vxlan: {id: 16777216}"), "interfaces[0].vxlan.id",
                "from 0 to 16777215"),
            Arguments.of("VXLAN remote", ifaces("- name: vx0\n  type: vxlan\n  vxlan: {id: 5, remote: vtep.example.com}"),
                "interfaces[0].vxlan.remote", "an IPv4 or IPv6 address"),
            Arguments.of("veth own peer", ifaces("- name: veth0\n  type: veth\n  veth: {peer: veth0}"), "interfaces[0].veth.peer",
                "cannot be its own peer"),
            Arguments.of("route destination not CIDR", "routes: {config: [{destination: 198.51.100.0, next-hop-interface: eth0}]}",
                "routes.config[0].destination", "CIDR notation"),
            Arguments.of("route next hop of another family", "routes: {config: [{destination: 198.51.100.0/24, next-hop-interface: eth0, "
                + "next-hop-address: \"2001:db8::1\"}]}", "routes.config[0].next-hop-address",
                "must be an IPv4 address, as the destination is"),
            Arguments.of("route without interface", "routes: {config: [{destination: 198.51.100.0/24, next-hop-address: 10.0.0.1}]}",
                "routes.config[0].next-hop-interface", "the interface the route leaves through"),
            Arguments.of("route state", "routes: {config: [{destination: 0.0.0.0/0, next-hop-interface: eth0, state: present}]}",
                "routes.config[0].state", "one of absent"),
            Arguments.of("route weight", "routes: {config: [{destination: 0.0.0.0/0, next-hop-interface: eth0, weight: 5}]}",
                "routes.config[0].weight", "nmstream does not apply it to routes"),
            Arguments.of("route through a removed interface", "interfaces: [{name: eth0, state: absent}]\n"
                + "routes: {config: [{destination: 0.0.0.0/0, next-hop-interface: eth0}]}", "routes.config[0].next-hop-interface",
                "this interface is removed"),
            Arguments.of("route through an interface without its family", "interfaces: [{name: eth0, ipv6: {enabled: false}}]\n"
                + "routes: {config: [{destination: \"::/0\", next-hop-interface: eth0, next-hop-address: \"2001:db8::1\"}]}",
                "routes.config[0].next-hop-interface", "this interface has ipv6.enabled: false in the same desired state"),
            Arguments.of("IPv6 autoconf without DHCPv6", ifaces("- name: eth1\n  ipv6: {enabled: true, autoconf: true, dhcp: false}"),
                "interfaces[0].ipv6.autoconf", "autoconf without DHCPv6 is not supported"),
            Arguments.of("route through an interface left without an IPv4 address", "interfaces: [{name: eth1, ipv4: {enabled: true, "
                + "dhcp: false, address: []}}]\nroutes: {config: [{destination: 198.51.100.0/24, next-hop-interface: eth1}]}",
                "routes.config[0].next-hop-interface", "this interface has no IPv4 address and dhcp: false in the same desired state"),
            Arguments.of("route through a bridge port", ifaces("- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1}]}")
                + "\nroutes: {config: [{destination: 0.0.0.0/0, next-hop-interface: eth1, next-hop-address: 10.0.0.1}]}",
                "routes.config[0].next-hop-interface", "this interface is a port of br0 in the same desired state"),
            Arguments.of("DNS server", "dns-resolver: {config: {server: [dns.example.com]}}", "dns-resolver.config.server[0]",
                "an IPv4 or IPv6 address of a name server"),
            Arguments.of("DNS search", "dns-resolver: {config: {search: [\"bad domain\"]}}", "dns-resolver.config.search[0]",
                "a domain name"),
            Arguments.of("name servers of one family between the other's", "dns-resolver: {config: {server: [192.0.2.53, "
                + "\"2001:db8::53\", 192.0.2.54]}}", "dns-resolver.config.server", "in two groups, one family after the other"),
            Arguments.of("DHCP client id neither a keyword nor bytes", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: true, "
                + "dhcp-client-id: mac}"), "interfaces[0].ipv4.dhcp-client-id", "ll, iaid+duid, or hexadecimal bytes"),
            Arguments.of("address generation mode unknown", ifaces("- name: eth0\n  ipv6: {enabled: true, addr-gen-mode: random}"),
                "interfaces[0].ipv6.addr-gen-mode", "eui64 or stable-privacy"),
            Arguments.of("route metric of DHCP with DHCP off", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: false, "
                + "auto-route-metric: 150, address: [{ip: 192.0.2.1, prefix-length: 24}]}"), "interfaces[0].ipv4.auto-route-metric",
                "only with dhcp: true (DHCP is off in this block)"),
            Arguments.of("DHCP host name that is no host name", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: true, "
                + "dhcp-custom-hostname: \"web 7\"}"), "interfaces[0].ipv4.dhcp-custom-hostname", "a host name or FQDN (letters, digits"),
            Arguments.of("DHCP host name label too long", ifaces("- name: eth0\n  ipv6: {enabled: true, dhcp: true, autoconf: true, "
                + "dhcp-custom-hostname: " + "a".repeat(64) + ".example.org}"), "interfaces[0].ipv6.dhcp-custom-hostname",
                "labels of up to 63 characters"),
            Arguments.of("DHCP host name that would not be sent", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: true, "
                + "dhcp-send-hostname: false, dhcp-custom-hostname: web-7}"), "interfaces[0].ipv4.dhcp-custom-hostname",
                "no custom host name while dhcp-send-hostname is false"),
            Arguments.of("DHCP host name with DHCP off", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: false, "
                + "dhcp-custom-hostname: web-7, address: [{ip: 192.0.2.1, prefix-length: 24}]}"), "interfaces[0].ipv4.dhcp-custom-hostname",
                "only with dhcp: true (DHCP is off in this block)"),
            Arguments.of("token that is no interface identifier", ifaces("- name: eth0\n  ipv6: {enabled: true, dhcp: true, "
                + "autoconf: true, token: \"2001:db8::1\"}"), "interfaces[0].ipv6.token", "first 64 bits are zero, such as ::1234"),
            Arguments.of("token without autoconf", ifaces("- name: eth0\n  ipv6: {enabled: true, dhcp: true, autoconf: false, "
                + "token: \"::1234\"}"), "interfaces[0].ipv6.token", "no token while autoconf is false"),
            Arguments.of("token with stable-privacy", ifaces("- name: eth0\n  ipv6: {enabled: true, dhcp: true, autoconf: true, "
                + "addr-gen-mode: stable-privacy, token: \"::1234\"}"), "interfaces[0].ipv6.token", "only with eui64"),
            Arguments.of("token on IPv4", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: true, token: \"::1234\"}"),
                "interfaces[0].ipv4.token", "token is IPv6 only"),
            Arguments.of("wait-ip value nmstate does not have", ifaces("- name: eth0\n  wait-ip: both"), "interfaces[0].wait-ip",
                "must be one of any, ipv4, ipv6, ipv4+ipv6"),
            Arguments.of("wait-ip for a family the interface disables", ifaces("- name: eth0\n  wait-ip: ipv4+ipv6\n"
                + "  ipv4: {enabled: true, dhcp: true}\n  ipv6: {enabled: false}"), "interfaces[0].wait-ip",
                "cannot wait for ipv6 while ipv6.enabled is false"),
            Arguments.of("wait-ip on a bridge port", ifaces("- name: br0\n  type: linux-bridge\n  bridge: {port: [{name: eth1}]}\n"
                + "- name: eth1\n  wait-ip: ipv4"), "interfaces[1].wait-ip", "a port of br0 has no IP configuration of its own to "
                + "wait for; wait-ip belongs on br0"),
            Arguments.of("accept-all-mac-addresses on a mac-vlan", ifaces("- name: mv0\n  type: mac-vlan\n"
                + "  accept-all-mac-addresses: true\n  mac-vlan: {base-iface: eth0, mode: vepa}"), "interfaces[0].accept-all-mac-addresses",
                "mac-vlan.promiscuous"),
            Arguments.of("what nmstate reports of a running interface", ifaces("- name: eth0\n  max-mtu: 9216"),
                "interfaces[0].max-mtu", "max-mtu is what nmstate reports of a running interface (it ignores it in a desired state); "
                + "a desired state cannot set it: remove it"),
            Arguments.of("MPTCP flag nmstate does not have", ifaces("- name: eth0\n  mptcp: {address-flags: [subflow, laminar]}"),
                "interfaces[0].mptcp.address-flags[1]", "must be one of signal, subflow, backup, fullmesh"),
            Arguments.of("MPTCP signal with fullmesh", ifaces("- name: eth0\n  mptcp: {address-flags: [signal, fullmesh]}"),
                "interfaces[0].mptcp.address-flags", "signal or fullmesh, not both"),
            Arguments.of("MPTCP key nmstate does not have", ifaces("- name: eth0\n  mptcp: {flags: [signal]}"),
                "interfaces[0].mptcp.flags", "address-flags"),
            Arguments.of("an address's MPTCP flags other than the interface's", ifaces("- name: eth0\n  mptcp: {address-flags: "
                + "[subflow]}\n  ipv4: {enabled: true, address: [{ip: 192.0.2.7, prefix-length: 24, mptcp-flags: [signal]}]}"),
                "interfaces[0].ipv4.address[0].mptcp-flags", "must be the interface's mptcp.address-flags ([subflow])"),
            Arguments.of("an address's MPTCP flags without the interface's", ifaces("- name: eth0\n  ipv6: {enabled: true, address: "
                + "[{ip: \"2001:db8::7\", prefix-length: 64, mptcp-flags: [subflow]}]}"),
                "interfaces[0].ipv6.address[0].mptcp-flags", "(none given)"),
            Arguments.of("accept-all-mac-addresses not a boolean", ifaces("- name: eth0\n  accept-all-mac-addresses: maybe"),
                "interfaces[0].accept-all-mac-addresses", "true or false"),
            Arguments.of("bridge group address that is no link-local group", bridgeOptions("group-addr: \"01:00:5E:00:00:01\""),
                "interfaces[0].bridge.options.group-addr", "01:80:C2:00:00:00 to 01:80:C2:00:00:0F"),
            Arguments.of("bridge forwarding the restricted groups", bridgeOptions("group-forward-mask: 1"),
                "interfaces[0].bridge.options.group-forward-mask", "bits 0-2"),
            Arguments.of("bridge forwarding mask under both names", bridgeOptions("group-forward-mask: 8, group-fwd-mask: 8"),
                "interfaces[0].bridge.options.group-fwd-mask", "give it once"),
            Arguments.of("bridge multicast router nmstate does not know", bridgeOptions("multicast-router: 3"),
                "interfaces[0].bridge.options.multicast-router", "must be one of disabled, auto, enabled (or 0, 1, 2)"),
            Arguments.of("bridge timer nmstate only reports", bridgeOptions("gc-timer: 100"), "interfaces[0].bridge.options.gc-timer",
                "a timer of the running bridge that nmstate reports; it cannot be set"),
            Arguments.of("bridge VLAN protocol", ifaces("- name: br0\n  type: linux-bridge\n"
                + "  bridge: {options: {vlan-protocol: 802.1ad}}"),
                "interfaces[0].bridge.options.vlan-protocol", "nmstream does not apply it"),
            Arguments.of("copy-mac-from with a MAC address", ifaces("- name: br0\n  type: linux-bridge\n  copy-mac-from: eth1\n"
                + "  mac-address: 02:00:00:00:00:01\n  bridge: {port: []}"), "interfaces[0].copy-mac-from", "give one"),
            Arguments.of("copy-mac-from on a type nmstate ignores it on", ifaces("- name: v0\n  type: veth\n  copy-mac-from: eth1\n"
                + "  veth: {peer: v1}"), "interfaces[0].copy-mac-from", "only on a bond, linux-bridge or ovs-interface"),
            Arguments.of("DUID on IPv4", ifaces("- name: eth0\n  ipv4: {enabled: true, dhcp: true, dhcp-duid: ll}"),
                "interfaces[0].ipv4.dhcp-duid", "IPv6 only; IPv4 has dhcp-client-id"),
            Arguments.of("route rule without a family", "route-rules: {config: [{route-table: 100}]}", "route-rules.config[0].ip-from",
                "ip-from, ip-to or family"),
            Arguments.of("route rule family against its addresses", "route-rules: {config: [{family: ipv6, ip-from: 192.0.2.0/24}]}",
                "route-rules.config[0].family", "the family of ip-from and ip-to (192.0.2.0/24)"),
            Arguments.of("route rule mask without a mark", "route-rules: {config: [{ip-to: 192.0.2.0/24, fwmask: \"0x10\"}]}",
                "route-rules.config[0].fwmask", "only with a fwmark"),
            Arguments.of("route rule with a table and an action", "route-rules: {config: [{ip-to: 192.0.2.0/24, route-table: 100, "
                + "action: blackhole}]}", "route-rules.config[0].route-table", "either a route table to look up or an action"),
            Arguments.of("route rule action unknown", "route-rules: {config: [{ip-to: 192.0.2.0/24, action: drop}]}",
                "route-rules.config[0].action", "one of blackhole, unreachable, prohibit"),
            Arguments.of("route rule key misspelled", "route-rules: {config: [{ip-too: 192.0.2.0/24}]}", "route-rules.config[0].ip-too",
                "did you mean ip-to?"),
            Arguments.of("DNS option misspelled", "dns-resolver: {config: {options: [rotat]}}", "dns-resolver.config.options[0]",
                "did you mean rotate?"),
            Arguments.of("DNS option without its number", "dns-resolver: {config: {options: [ndots]}}",
                "dns-resolver.config.options[0]", "'ndots' takes a number: ndots:<n>"),
            Arguments.of("DNS option with a number that is not one", "dns-resolver: {config: {options: [\"timeout:two\"]}}",
                "dns-resolver.config.options[0]", "'timeout' takes a number"),
            Arguments.of("DNS flag given a value", "dns-resolver: {config: {options: [\"rotate:1\"]}}",
                "dns-resolver.config.options[0]", "'rotate' takes no value"),
            Arguments.of("DNS option twice", "dns-resolver: {config: {options: [\"ndots:1\", rotate, \"ndots:3\"]}}",
                "dns-resolver.config.options[2]", "'ndots' is already listed"),
            Arguments.of("duplicate names", ifaces("- name: eth0\n- name: eth0"), "interfaces[1].name", "already defined at interfaces[0]"),
            Arguments.of("template of an undefined capture", "interfaces: \"{{ capture.missing.interfaces }}\"", "interfaces",
                "capture 'missing' is not defined in spec.capture (defined: eth0-iface)"),
            Arguments.of("template reading no capture", ifaces("- name: eth0\n  mtu: \"{{ interfaces.0.mtu }}\""), "interfaces[0].mtu",
                "a template must read a capture"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedStates")
    void refusesAtThePathToFixSayingWhatIsAllowed(String description, String yaml, String path, String allowed) {
        List<StateProblem> problems = parsePolicy(yaml).problems();

        assertThat(problems).as(description).anySatisfy(problem -> {
            assertThat(problem.path()).isEqualTo(path);
            assertThat(problem.allowed()).contains(allowed);
        });
    }

    @Test
    void reportsEveryProblemOfTheDocumentAtOnce() {
        List<StateProblem> problems = parsePolicy(ifaces("""
            - name: eth0
              mtuu: 1400
              type: team
            - name: eth1
              mtu: 70000
              ipv4: {address: [{ip: 10.0.0.300, prefix-length: 24}]}
            """)).problems();

        assertThat(problems).extracting(StateProblem::path).containsExactlyInAnyOrder("interfaces[0].mtuu", "interfaces[0].type",
            "interfaces[1].mtu", "interfaces[1].ipv4.address[0].ip");
        assertThat(problems).filteredOn(p -> p.path().equals("interfaces[0].type")).singleElement()
            .satisfies(p -> assertThat(p.message()).startsWith(
                "interfaces[0].type: \"team\" is not allowed: interface type team is not supported by nmstream (supported: "));
    }

    @Test
    void acceptsTemplatesForAnyValueListOrBlockOfAPolicyAndLeavesTheirFieldsUnset() {
        ParsedState parsed = parsePolicy("""
            interfaces:
            - name: eth0
              mtu: "{{ capture.eth0-iface.interfaces.0.mtu }}"
              ipv4:
                enabled: true
                address: "{{ capture.eth0-iface.interfaces.0.ipv4.address }}"
            routes:
              config: "{{ capture.eth0-iface.routes.running }}"
            dns-resolver:
              config: "{{ capture.eth0-iface.dns-resolver.running }}"
            """);

        assertThat(parsed.problems()).isEmpty();
        InterfaceSpec eth0 = parsed.state().find("eth0").orElseThrow();
        assertThat(eth0.mtu()).isNull();
        assertThat(eth0.ipv4().addresses()).isNull();
        assertThat(eth0.ipv4().enabled()).isTrue();
        assertThat(parsed.state().dns()).isNull();
    }

    @Test
    void refusesATemplateInAStateToApply() {
        ParsedState parsed = NmstateParser.parse(tree("interfaces: [{name: eth0, mtu: \"{{ capture.eth0-iface.interfaces.0.mtu }}\"}]"),
            ParseOptions.resolved());

        assertThat(parsed.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("interfaces[0].mtu");
            assertThat(p.allowed()).contains("must be resolved before the state is applied");
        });
    }

    @Test
    void readsNumbersWrittenAsTextAsNmstateDoes() {
        InterfaceSpec eth0 = NmstateParser.parse("interfaces: [{name: eth0, mtu: \"9000\", vlan: null}]").find("eth0").orElseThrow();

        assertThat(eth0.mtu()).isEqualTo(9000);
    }

    @Test
    void storesEveryBondPortAliasAsPorts() {
        for (String key : List.of("port", "ports", "slaves")) {
            NetworkState state = NmstateParser.parse(ifaces("- name: bond0\n  type: bond\n  link-aggregation: {mode: 802.3ad, "
                + key + ": [eth1, eth2], options: {miimon: \"100\", lacp_rate: fast}}"));

            BondConfig bond = state.find("bond0").orElseThrow().bond();
            assertThat(bond.ports()).as(key).containsExactly("eth1", "eth2");
            assertThat(bond.options()).containsEntry("miimon", "100").containsEntry("lacp_rate", "fast");
        }
    }

    @Test
    void readsTheRoceBlocksIntoTheModel() {
        InterfaceSpec nic = NmstateParser.parse(ifaces("""
            - name: ens8f0np0
              type: ethernet
              ethernet: {sr-iov: {total-vfs: 2, vfs: [{id: 1, vlan-id: 100, qos: 3, trust: true}]}}
              lldp: {enabled: true}
              ieee-8021Qaz:
                pfc: {enabled: [3], delay: 0}
                ets:
                  traffic-class:
                  - {traffic-class: 0, bandwidth: 70, algorithm: enhanced-transmission-selection}
                  - {traffic-class: 3, bandwidth: 30, algorithm: enhanced-transmission-selection}
            """)).find("ens8f0np0").orElseThrow();

        assertThat(nic.dcb().pfcEnabled()).containsExactly(3);
        assertThat(nic.dcb().pfcDelay()).isZero();
        assertThat(nic.dcb().trafficClasses()).containsExactly(
            new Ieee8021QazConfig.TrafficClass(0, 70, Ieee8021QazConfig.ETS),
            new Ieee8021QazConfig.TrafficClass(3, 30, Ieee8021QazConfig.ETS));
        assertThat(nic.ethernet().sriov().vfs()).containsExactly(new EthernetConfig.Vf(1, null, null, true, null, null, 100, 3));
        assertThat(nic.lldp()).isTrue();
    }

    @Test
    void suggestsTheNearestKnownKey() {
        assertThat(KeySuggestions.nearest("mtuu", InterfaceParser.KEYS)).hasValue("mtu");
        assertThat(KeySuggestions.nearest("ipv", InterfaceParser.KEYS)).hasValue("ipv4");
        assertThat(KeySuggestions.nearest("link-agregation", InterfaceParser.KEYS)).hasValue("link-aggregation");
        assertThat(KeySuggestions.nearest("bandwidth-share", List.of("traffic-class", "bandwidth"))).hasValue("bandwidth");
        assertThat(KeySuggestions.nearest("weight", List.of("traffic-class", "bandwidth", "algorithm"))).isEmpty();
    }
}
