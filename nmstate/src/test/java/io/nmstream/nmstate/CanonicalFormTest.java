package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Documents that mean the same desired state have one canonical text and digest; the digests of today's documents stay. */
class CanonicalFormTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode tree(String yaml) throws IOException {
        return YAML.readTree(yaml);
    }

    /** The digests policy-ingest published for the examples before the canonical form moved here; they must not change. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bond-vlan, 70646687f006cfa37e0896a9c210d8d6c567b51a6a18ec117c043b3ee25a08a2",
        "bond, a416c8774e8ac90a44cfef7b04139f405ed657871639014a11188f836445b4f2",
        "bond0-eth1-eth2-absent, 9cf968797802649c696fd07e55ce3832c6c5d26c2d6cedae57b697d7cea0eb96",
        "convert-dhcp-to-static, 52e09a92386fea1ba104a1bc165ff1e57205e3614281797c63509c94d39e92b9",
        "detach-bridge-port-and-restore-eth, 97b253ca93a65bb4e8e6e936e849215906e2bdcb45c2f9049ab59023211b26e7",
        "dhcp, 1e2f5162c70390f5c1b9f72584a6cab5d9210de24022497c00f821dc8e7afc01",
        "dns-cleanup, 732914c75f62e102260ba431d4cda45444082f36443e39a0b10b4f29e0364d3f",
        "dns, 5fd58a4bd05e596232eb4c7886861857694caccf7f23555bc4e3a7e6d6f2d4e5",
        "dummy, c5e96aec3a6175fa52a84db05335f2eecf4373a9d6c6989b8073cec1d48edb28",
        "ethernet, 1e2f5162c70390f5c1b9f72584a6cab5d9210de24022497c00f821dc8e7afc01",
        "ipv6-static-autoconf, 79b5910f80d06319d752fd35af9703c10b37800dbe81a5d92ae7183045d79aac",
        "linux-bridge-on-default-gw, 09ab87cc3b402b8e9402c7725944672bf299cbf095d2bebda9a10963e35c6e35",
        "linux-bridge-vlan, 4de5872c695a2dfdeb9af478314b41484880e4cb63a7ee205aa93c8095c1c6de",
        "linux-bridge, 52af0c8ed6cb2c2d0be7871c05e5b66f633c06250c838fc5cb228f4900ad9faa",
        "lldp, b3b49c79765726a98c0d44ff32056c32ad0c9cfb5f813a1c85df69b9ebc5bfcc",
        "mac-vlan, 19da0e0101235a2e8593485ac569d580a45ccd7dbf8bb266a8d05ac0e2872e7a",
        "ovs-bridge-iface, 23db3a05191cdf80ffb8307174fa12d903dadbf9bc1e2266a6e131706cfca94d",
        "ovs-bridge, fa68c152a6a5392486b004f1ce38f0dae7aac87bd47b432f3453fbecde0326d6",
        "per-interface-ipv4-forwarding, e9c8a57d6b04b650afab968685c82398e330ef3acf49c59d60f2387aa860bc7d",
        "rdma-bond, 77a2584b5adb3a6fc4e915ed7dd6000aded2d211f1da65bd1db61f77c11b6053",
        "rdma-nic-config, 6af113fdf52f4f6f859b4a2329fb536e45bff779fb88899a37245dd672653876",
        "roce-pfc-ets, dbb0ea5e8d84197046f2f92813b91678f986997bd5870294e7658db2c5e8c320",
        "route-absent, f7c4b20189b2a643ebb388c5fd8c9f38865dbe887fcfa09a2d85b1cb502fed7c",
        "route, 021f9c348ce4593a0784b94e1cc521c0f5da132b523b68637e37dccd7f799935",
        "sriov-vfs, 6415c0dad5e00bd774d5f1d18e7bf05d8a94cff55f007fa4ee80a61f7eff19b4",
        "static-ip, f3ed80470b38ad2a951b48c58d284a5472ef956cb7294fffde2fb8b3eb920b1e",
        "veth, 5d4751f3a22d6876b2093314268c11ba93b22f17fdd4032451ce9a9b00fe8d46",
        "vlan, 82c40ab3cd06f94fa0e45720426287444e7c8d750d9955392df96c120134e279",
        "vrf, b90238720f99164b92fb5568770ae2db3542b34b179226a1a2b1d935da82af75",
        "vxlan, 02f24859530c441270c29e73345f6742c448a3d824aa418636642754840f6311",
        "worker-selector, 1e2f5162c70390f5c1b9f72584a6cab5d9210de24022497c00f821dc8e7afc01"
    })
    void digestOfEachExampleIsTheOneIngestPublishedBefore(String example, String digest) throws IOException {
        JsonNode desiredState = YAML.readTree(Path.of("..", "examples", example + ".yaml").toFile()).path("spec").path("desiredState");

        assertThat(CanonicalForm.digest(desiredState)).isEqualTo(digest);
    }

    @Test
    void keyOrderQuotingAndAddressSpellingDoNotChangeTheDigest() throws IOException {
        JsonNode written = tree("""
            interfaces:
            - name: eth1
              type: ethernet
              mtu: "9000"
              mac-address: 52:54:00:ab:cd:ef
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
        JsonNode reordered = tree("""
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
              mac-address: 52:54:00:AB:CD:EF
              mtu: 9000
              type: ethernet
              name: eth1
            """);

        assertThat(CanonicalForm.canonicalJson(reordered)).isEqualTo(CanonicalForm.canonicalJson(written));
        assertThat(CanonicalForm.digest(reordered)).isEqualTo(CanonicalForm.digest(written));
        assertThat(CanonicalForm.canonicalJson(written)).contains("\"ip\":\"2001:db8::1\"", "\"prefix-length\":64", "\"mtu\":9000",
            "\"mac-address\":\"52:54:00:AB:CD:EF\"");
    }

    @Test
    void theAliasesOfAPortListHaveOneDigest() throws IOException {
        String bond = "interfaces:\n- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n    %s: [eth1, eth2]\n";

        String port = CanonicalForm.digest(tree(bond.formatted("port")));

        assertThat(CanonicalForm.digest(tree(bond.formatted("slaves")))).isEqualTo(port);
        assertThat(CanonicalForm.digest(tree(bond.formatted("ports")))).isEqualTo(port);
        assertThat(CanonicalForm.canonicalJson(tree(bond.formatted("slaves")))).contains("\"port\":[\"eth1\",\"eth2\"]")
            .doesNotContain("slaves");
        assertThat(CanonicalForm.digest(tree("interfaces: [{name: vrf1, type: vrf, vrf: {ports: [eth1], route-table-id: 7}}]")))
            .isEqualTo(CanonicalForm.digest(tree("interfaces: [{name: vrf1, type: vrf, vrf: {port: [eth1], route-table-id: 7}}]")));
    }

    @Test
    void aChangedValueChangesTheDigest() throws IOException {
        assertThat(CanonicalForm.digest(tree("interfaces: [{name: eth1, mtu: 1500}]")))
            .isNotEqualTo(CanonicalForm.digest(tree("interfaces: [{name: eth1, mtu: 9000}]")));
    }

    @Test
    void templatesAreKeptVerbatim() throws IOException {
        String template = "{{ capture.eth0.interfaces.0.ipv4.address }}";
        assertThat(CanonicalForm.canonicalJson(tree("interfaces: [{name: eth0, ipv4: {address: \"" + template + "\"}}]")))
            .isEqualTo("{\"interfaces\":[{\"ipv4\":{\"address\":\"{{ capture.eth0.interfaces.0.ipv4.address }}\"},\"name\":\"eth0\"}]}");
    }

    @Test
    void theDigestIsTheLowerCaseHexSha256OfTheCanonicalText() throws IOException {
        JsonNode state = tree("interfaces: []");

        assertThat(CanonicalForm.canonicalJson(state)).isEqualTo("{\"interfaces\":[]}");
        // sha256 of the 17 bytes {"interfaces":[]}
        assertThat(CanonicalForm.digest(state)).isEqualTo(CanonicalForm.sha256Hex("{\"interfaces\":[]}")).matches("[0-9a-f]{64}");
    }
}
