package io.nmstream.ingest.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.Digests;
import org.junit.jupiter.api.Test;

/** Manifests that mean the same desired state get the same canonical text and digest; different states do not. */
class CanonicalFormTest {

    private static PolicyManifest parse(String desiredState) {
        String text = """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: p1
            spec:
              desiredState:
            """ + desiredState.indent(4);
        ManifestParser.Result result = new ManifestParser().parse("p1.yaml", text);
        assertThat(result.problems()).isEmpty();
        return result.policies().get(0);
    }

    @Test
    void keyOrderQuotingAndAddressSpellingDoNotChangeTheDigest() {
        PolicyManifest written = parse("""
            interfaces:
            - name: eth1
              type: ethernet
              mtu: "9000"
              ipv6:
                enabled: true
                address:
                - ip: 2001:DB8:0:0:0:0:0:1
                  prefix-length: "64"
            routes:
              config:
              - destination: 2001:db8:0:0::/64
                next-hop-interface: eth1
            """);
        PolicyManifest reordered = parse("""
            routes:
              config:
              - next-hop-interface: eth1
                destination: 2001:db8::/64
            interfaces:
            - ipv6:
                address:
                - prefix-length: 64
                  ip: 2001:db8::1
                enabled: true
              mtu: 9000
              type: ethernet
              name: eth1
            """);

        assertThat(reordered.desiredState()).isEqualTo(written.desiredState());
        assertThat(reordered.desiredStateDigest()).isEqualTo(written.desiredStateDigest());
        assertThat(written.desiredState()).contains("\"ip\":\"2001:db8::1\"", "\"prefix-length\":64", "\"mtu\":9000");
    }

    @Test
    void aChangedValueChangesTheDigest() {
        PolicyManifest mtu1500 = parse("interfaces:\n- name: eth1\n  type: ethernet\n  mtu: 1500\n");
        PolicyManifest mtu9000 = parse("interfaces:\n- name: eth1\n  type: ethernet\n  mtu: 9000\n");

        assertThat(mtu1500.desiredStateDigest()).isNotEqualTo(mtu9000.desiredStateDigest());
    }

    @Test
    void defaultsMaxUnavailableToHalfOfTheNodes() {
        assertThat(parse("interfaces: []\n").maxUnavailable()).isEqualTo("50%");
    }

    @Test
    void aBondsPortsGivenUnderSlavesOrPortHaveOneDigest() {
        String bond = "interfaces:\n- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n    %s: [eth1, eth2]\n";

        PolicyManifest slaves = parse(bond.formatted("slaves"));
        PolicyManifest port = parse(bond.formatted("port"));

        assertThat(slaves.desiredStateDigest()).isEqualTo(port.desiredStateDigest());
        assertThat(slaves.desiredState()).contains("\"port\":[\"eth1\",\"eth2\"]").doesNotContain("slaves");
    }

    @Test
    void theDigestIsTheOneEventsCarry() {
        PolicyManifest policy = parse("interfaces:\n- name: eth1\n  type: ethernet\n  mtu: 9000\n");

        assertThat(policy.desiredStateDigest()).isEqualTo(Digests.sha256Hex(policy.desiredState()));
    }
}
