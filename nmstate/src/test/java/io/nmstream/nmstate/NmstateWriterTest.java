package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer prints every block of the model in nmstate 2.2's names and order, and what it writes reads back the same. */
class NmstateWriterTest {

    /** A state using every block of the model. */
    static final String EVERY_BLOCK = """
        dns-resolver:
          config:
            server: [10.0.0.2, "2001:db8::53"]
            search: [example.com]
        routes:
          config:
          - destination: 0.0.0.0/0
            next-hop-interface: bond0
            next-hop-address: 10.10.1.1
            metric: 100
            table-id: 254
          - state: absent
            destination: 10.9.0.0/16
        interfaces:
        - name: ens8f0np0
          description: RoCE port
          type: ethernet
          state: up
          mac-address: 52:54:00:AB:CD:EF
          mtu: 9000
          lldp: {enabled: true}
          ieee-8021Qaz:
            pfc: {enabled: [3], delay: 0}
            ets:
              traffic-class:
              - {traffic-class: 0, bandwidth: 70, algorithm: enhanced-transmission-selection}
              - {traffic-class: 3, bandwidth: 30, algorithm: enhanced-transmission-selection}
          ethernet:
            sr-iov:
              drivers-autoprobe: true
              total-vfs: 2
              vfs:
              - {id: 0, mac-address: "52:54:00:00:00:01", spoof-check: true, trust: false, min-tx-rate: 0, max-tx-rate: 1000,
                 vlan-id: 100, qos: 3}
            auto-negotiation: false
            speed: 100000
            duplex: full
        - name: bond0
          type: bond
          state: up
          ipv4:
            enabled: true
            dhcp: false
            address: [{ip: 10.10.1.50, prefix-length: 24}]
            auto-dns: false
            auto-gateway: false
            auto-routes: false
          ipv6:
            enabled: true
            dhcp: true
            autoconf: true
            address: [{ip: "2001:db8:1::10", prefix-length: 64}]
          link-aggregation:
            mode: 802.3ad
            options: {lacp_rate: fast, miimon: 100, xmit_hash_policy: layer3+4}
            port: [ens8f1np1]
        - name: bond0.102
          type: vlan
          vlan: {base-iface: bond0, id: 102}
        - name: br1
          type: linux-bridge
          bridge:
            options:
              mac-ageing-time: 300
              multicast-snooping: true
              stp: {enabled: true, forward-delay: 15, hello-time: 2, max-age: 20, priority: 32768}
            port:
            - name: eth1
              vlan:
                enable-native: true
                mode: trunk
                tag: 100
                trunk-tags: [{id: 101}, {id-range: {min: 200, max: 500}}]
        - name: ovsbr0
          type: ovs-bridge
          bridge:
            options: {stp: false, mcast-snooping-enable: true}
            port: [{name: eth2}, {name: ovs0}]
        - name: ovs0
          type: ovs-interface
          ipv4: {enabled: true, dhcp: true}
        - name: vrf102
          type: vrf
          vrf: {port: [eth3], route-table-id: 102}
        - name: mac0
          type: mac-vlan
          mac-vlan: {base-iface: eth4, mode: bridge, promiscuous: true}
        - name: vxlan100
          type: vxlan
          vxlan: {base-iface: eth4, id: 100, learning: false, local: 192.0.2.1, remote: 192.0.2.2, destination-port: 4789}
        - name: veth1
          type: veth
          veth: {peer: veth1-peer}
        - name: dummy0
          type: dummy
          state: down
        """;

    @Test
    void writesEveryBlockSoThatItReadsBackToTheSameState() {
        NetworkState state = NmstateParser.parse(EVERY_BLOCK);

        assertThat(NmstateParser.parse(NmstateWriter.toYaml(state))).isEqualTo(state);
        assertThat(NmstateParser.parse(NmstateWriter.toJson(state))).isEqualTo(state);
        assertThat(state.interfaces()).allSatisfy(i -> assertThat(NmstateWriter.toTree(state).toString()).contains(i.name()));
    }

    @Test
    void writesFieldsInNmstateOrder() {
        ObjectNode tree = NmstateWriter.toTree(NmstateParser.parse(EVERY_BLOCK));

        assertThat(names(tree)).containsExactly("dns-resolver", "routes", "interfaces");
        assertThat(names(tree.path("dns-resolver").path("config"))).containsExactly("server", "search");
        assertThat(names(tree.path("routes").path("config").get(0)))
            .containsExactly("destination", "next-hop-interface", "next-hop-address", "metric", "table-id");
        assertThat(names(tree.path("routes").path("config").get(1))).containsExactly("state", "destination");
        JsonNode nic = tree.path("interfaces").get(0);
        assertThat(names(nic)).containsExactly("name", "description", "type", "state", "mac-address", "mtu", "lldp", "ieee-8021Qaz",
            "ethernet");
        assertThat(names(nic.path("ethernet"))).containsExactly("sr-iov", "auto-negotiation", "speed", "duplex");
        assertThat(names(nic.path("ethernet").path("sr-iov"))).containsExactly("drivers-autoprobe", "total-vfs", "vfs");
        assertThat(names(nic.path("ethernet").path("sr-iov").path("vfs").get(0))).containsExactly("id", "mac-address", "spoof-check",
            "trust", "min-tx-rate", "max-tx-rate", "vlan-id", "qos");
        JsonNode bond = tree.path("interfaces").get(1);
        assertThat(names(bond)).containsExactly("name", "type", "state", "ipv4", "ipv6", "link-aggregation");
        assertThat(names(bond.path("ipv4"))).containsExactly("enabled", "dhcp", "address", "auto-dns", "auto-gateway", "auto-routes");
        assertThat(names(bond.path("ipv6"))).containsExactly("enabled", "dhcp", "autoconf", "address");
        assertThat(names(bond.path("link-aggregation"))).containsExactly("mode", "options", "port");
        assertThat(bond.path("link-aggregation").path("options").path("miimon").isIntegralNumber())
            .as("counts are numbers, as nmstate prints").isTrue();
        JsonNode bridge = tree.path("interfaces").get(3).path("bridge");
        assertThat(names(bridge.path("options"))).containsExactly("mac-ageing-time", "multicast-snooping", "stp");
        assertThat(names(bridge.path("options").path("stp"))).containsExactly("enabled", "forward-delay", "hello-time", "max-age",
            "priority");
        assertThat(names(bridge.path("port").get(0).path("vlan"))).containsExactly("enable-native", "mode", "tag", "trunk-tags");
        assertThat(names(bridge.path("port").get(0).path("vlan").path("trunk-tags").get(1).path("id-range"))).containsExactly("min", "max");
        assertThat(tree.path("interfaces").get(4).path("bridge").path("options").path("stp").isBoolean())
            .as("an OVS bridge's stp is a boolean").isTrue();
        assertThat(names(tree.path("interfaces").get(6).path("vrf"))).containsExactly("port", "route-table-id");
        assertThat(names(tree.path("interfaces").get(7).path("mac-vlan"))).containsExactly("base-iface", "mode", "promiscuous");
        assertThat(names(tree.path("interfaces").get(8).path("vxlan"))).containsExactly("base-iface", "id", "learning", "local", "remote",
            "destination-port");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
