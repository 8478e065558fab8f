package io.nmstream.ingest.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.common.labels.LabelSyntax;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid manifest is refused with a problem at the path a user must fix, and nothing of it is returned for publishing. */
class InvalidManifestsTest {

    private static final String HEADER = """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: p1
        spec:
        """;

    /** A manifest with the given spec body (indented by two spaces by the caller's text block). */
    private static String spec(String body) {
        return HEADER + body.indent(2);
    }

    /** A manifest whose desiredState has the given interfaces, given as YAML list items. */
    private static String interfaces(String items) {
        return spec("desiredState:\n  interfaces:\n" + items.indent(4));
    }

    private static String state(String body) {
        return spec("desiredState:\n" + body.indent(2));
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
            Arguments.of("wrong apiVersion", HEADER.replace("nmstate.io/v1", "nmstate.io/v1alpha9") + "  desiredState: {}\n", "apiVersion"),
            Arguments.of("wrong kind", HEADER.replace("kind: NodeNetworkConfigurationPolicy", "kind: NodeNetworkState")
                + "  desiredState: {}\n", "kind"),
            Arguments.of("name too long", HEADER.replace("name: p1", "name: " + "a".repeat(254)) + "  desiredState: {}\n",
                "metadata.name"),
            Arguments.of("name not a subdomain", HEADER.replace("name: p1", "name: Bad_Name") + "  desiredState: {}\n", "metadata.name"),
            Arguments.of("name with a slash", HEADER.replace("name: p1", "name: team/p1") + "  desiredState: {}\n", "metadata.name"),
            Arguments.of("missing name", HEADER.replace("  name: p1\n", "  labels: {}\n") + "  desiredState: {}\n", "metadata.name"),
            Arguments.of("unknown metadata field", HEADER.replace("  name: p1\n", "  name: p1\n  lables: {team: net}\n")
                + "  desiredState: {}\n", "metadata.lables"),
            Arguments.of("label value not text", HEADER.replace("  name: p1\n", "  name: p1\n  labels: {canary: true}\n")
                + "  desiredState: {}\n", "metadata.labels"),
            Arguments.of("missing desiredState", spec("nodeSelector: {}\n"), "spec.desiredState"),
            Arguments.of("null desiredState", spec("desiredState: null\n"), "spec.desiredState"),
            Arguments.of("unknown spec field", spec("desiredStates: {}\ndesiredState: {}\n"), "spec.desiredStates"),
            Arguments.of("selector key syntax", spec("nodeSelector:\n  \"-bad\": x\ndesiredState: {}\n"), "spec.nodeSelector[\"-bad\"]"),
            Arguments.of("selector value syntax", spec("nodeSelector:\n  role: \"has space\"\ndesiredState: {}\n"),
                "spec.nodeSelector[\"role\"]"),
            Arguments.of("selector value not text", spec("nodeSelector:\n  sriov: true\ndesiredState: {}\n"),
                "spec.nodeSelector[\"sriov\"]"),
            Arguments.of("maxUnavailable 0", spec("maxUnavailable: 0\ndesiredState: {}\n"), "spec.maxUnavailable"),
            Arguments.of("maxUnavailable 0%", spec("maxUnavailable: \"0%\"\ndesiredState: {}\n"), "spec.maxUnavailable"),
            Arguments.of("maxUnavailable 101%", spec("maxUnavailable: \"101%\"\ndesiredState: {}\n"), "spec.maxUnavailable"),
            Arguments.of("maxUnavailable negative", spec("maxUnavailable: -1\ndesiredState: {}\n"), "spec.maxUnavailable"),
            Arguments.of("maxUnavailable a string of a number", spec("maxUnavailable: \"5\"\ndesiredState: {}\n"), "spec.maxUnavailable"),
            Arguments.of("capture syntax", spec("capture:\n  eths: interfaces.type==\ndesiredState: {}\n"), "spec.capture.eths"),
            Arguments.of("capture of undefined capture",
                spec("capture:\n  up: capture.eths | interfaces.state==\"up\"\ndesiredState: {}\n"),
                "spec.capture.up"),
            Arguments.of("template of undefined capture", state("interfaces: \"{{ capture.missing.interfaces }}\""),
                "spec.desiredState.interfaces"),
            Arguments.of("priority not an integer", spec("priority: high\ndesiredState: {}\n"), "spec.priority"),
            Arguments.of("revertOnDelete not a boolean", spec("revertOnDelete: \"yes\"\ndesiredState: {}\n"), "spec.revertOnDelete"),
            Arguments.of("unknown top-level state key", state("interface: []"), "spec.desiredState.interface"),
            Arguments.of("interfaces not a list", state("interfaces: eth1"), "spec.desiredState.interfaces"),
            Arguments.of("interface without name", interfaces("- type: ethernet\n  state: up"), "spec.desiredState.interfaces[0].name"),
            Arguments.of("interface name too long", interfaces("- name: abcdefghijklmnop\n  type: dummy"),
                "spec.desiredState.interfaces[0].name"),
            Arguments.of("unknown type", interfaces("- name: eth1\n  type: ethernets"), "spec.desiredState.interfaces[0].type"),
            Arguments.of("unknown state", interfaces("- name: eth1\n  type: ethernet\n  state: enabled"),
                "spec.desiredState.interfaces[0].state"),
            Arguments.of("duplicate names", interfaces("- name: eth1\n  type: ethernet\n- name: eth1\n  type: ethernet"),
                "spec.desiredState.interfaces[1].name"),
            Arguments.of("IPv4 address not an address", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 10.0.0.256\n      prefix-length: 24"), "spec.desiredState.interfaces[0].ipv4.address[0].ip"),
            Arguments.of("IPv6 address under ipv4", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 2001:db8::1\n      prefix-length: 64"), "spec.desiredState.interfaces[0].ipv4.address[0].ip"),
            Arguments.of("IPv4 prefix 33", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 10.0.0.1\n      prefix-length: 33"),
                "spec.desiredState.interfaces[0].ipv4.address[0].prefix-length"),
            Arguments.of("IPv6 prefix 129", interfaces("- name: eth1\n  type: ethernet\n  ipv6:\n    enabled: true\n"
                + "    address:\n    - ip: 2001:db8::1\n      prefix-length: 129"),
                "spec.desiredState.interfaces[0].ipv6.address[0].prefix-length"),
            Arguments.of("missing prefix length", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 10.0.0.1"), "spec.desiredState.interfaces[0].ipv4.address[0].prefix-length"),
            Arguments.of("dhcp not boolean", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n    dhcp: \"yes\""),
                "spec.desiredState.interfaces[0].ipv4.dhcp"),
            Arguments.of("MTU too large", interfaces("- name: eth1\n  type: ethernet\n  mtu: 70000"),
                "spec.desiredState.interfaces[0].mtu"),
            Arguments.of("MTU below IPv6 minimum", interfaces("- name: eth1\n  type: ethernet\n  mtu: 1000\n  ipv6:\n    enabled: true"),
                "spec.desiredState.interfaces[0].mtu"),
            Arguments.of("VLAN id 4095", interfaces("- name: eth1\n  type: ethernet\n- name: eth1.5\n  type: vlan\n  vlan:\n"
                + "    base-iface: eth1\n    id: 4095"), "spec.desiredState.interfaces[1].vlan.id"),
            Arguments.of("VLAN without base-iface", interfaces("- name: vlan5\n  type: vlan\n  vlan:\n    id: 5"),
                "spec.desiredState.interfaces[0].vlan.base-iface"),
            Arguments.of("VLAN without vlan block", interfaces("- name: vlan5\n  type: vlan\n  state: up"),
                "spec.desiredState.interfaces[0].vlan"),
            Arguments.of("VLAN on a removed base", interfaces("- name: eth1\n  state: absent\n- name: eth1.5\n  type: vlan\n"
                + "  vlan:\n    base-iface: eth1\n    id: 5"), "spec.desiredState.interfaces[1].vlan.base-iface"),
            Arguments.of("unknown bond mode", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: lacp\n"
                + "    port: [eth1]"), "spec.desiredState.interfaces[0].link-aggregation.mode"),
            Arguments.of("unknown bond option", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n"
                + "    options:\n      miimon_ms: 100"), "spec.desiredState.interfaces[0].link-aggregation.options.miimon_ms"),
            Arguments.of("lacp_rate outside 802.3ad", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n"
                + "    mode: active-backup\n    options:\n      lacp_rate: fast"),
                "spec.desiredState.interfaces[0].link-aggregation.options.lacp_rate"),
            Arguments.of("bad xmit_hash_policy", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n"
                + "    options:\n      xmit_hash_policy: layer4"),
                "spec.desiredState.interfaces[0].link-aggregation.options.xmit_hash_policy"),
            Arguments.of("bond is its own port", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n"
                + "    port: [eth1, bond0]"), "spec.desiredState.interfaces[0].link-aggregation.port[1]"),
            Arguments.of("bond port removed", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n"
                + "    port: [eth1]\n- name: eth1\n  state: absent"), "spec.desiredState.interfaces[0].link-aggregation.port[0]"),
            Arguments.of("port of two controllers", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n    mode: 802.3ad\n"
                + "    port: [eth1]\n- name: br1\n  type: linux-bridge\n  bridge:\n    port:\n    - name: eth1"),
                "spec.desiredState.interfaces[1].bridge.port[0].name"),
            Arguments.of("trunk range reversed", interfaces("- name: br1\n  type: linux-bridge\n  bridge:\n    port:\n    - name: eth1\n"
                + "      vlan:\n        mode: trunk\n        trunk-tags:\n        - id-range: {min: 500, max: 200}"),
                "spec.desiredState.interfaces[0].bridge.port[0].vlan.trunk-tags[0].id-range.min"),
            Arguments.of("trunk tag 0", interfaces("- name: br1\n  type: linux-bridge\n  bridge:\n    port:\n    - name: eth1\n"
                + "      vlan:\n        mode: trunk\n        trunk-tags:\n        - id: 0"),
                "spec.desiredState.interfaces[0].bridge.port[0].vlan.trunk-tags[0].id"),
            Arguments.of("bridge port without name", interfaces("- name: br1\n  type: linux-bridge\n  bridge:\n    port:\n"
                + "    - vlan: {mode: access, tag: 5}"), "spec.desiredState.interfaces[0].bridge.port[0].name"),
            Arguments.of("VRF without table", interfaces("- name: vrf1\n  type: vrf\n  vrf:\n    port: [eth1]"),
                "spec.desiredState.interfaces[0].vrf.route-table-id"),
            Arguments.of("route destination not CIDR", state("routes:\n  config:\n  - destination: 198.51.100.0\n"
                + "    next-hop-interface: eth1"), "spec.desiredState.routes.config[0].destination"),
            Arguments.of("route next hop of another family", state("routes:\n  config:\n  - destination: 198.51.100.0/24\n"
                + "    next-hop-address: 2001:db8::1\n    next-hop-interface: eth1"),
                "spec.desiredState.routes.config[0].next-hop-address"),
            Arguments.of("route without next hop", state("routes:\n  config:\n  - destination: 198.51.100.0/24"),
                "spec.desiredState.routes.config[0].next-hop-interface"),
            Arguments.of("route metric negative", state("routes:\n  config:\n  - destination: 0.0.0.0/0\n    next-hop-interface: eth1\n"
                + "    metric: -5"), "spec.desiredState.routes.config[0].metric"),
            Arguments.of("route state other than absent", state("routes:\n  config:\n  - destination: 0.0.0.0/0\n"
                + "    next-hop-interface: eth1\n    state: present"), "spec.desiredState.routes.config[0].state"),
            Arguments.of("DNS server not an address", state("dns-resolver:\n  config:\n    server: [dns.example.com]"),
                "spec.desiredState.dns-resolver.config.server[0]"),
            Arguments.of("DNS search not a domain", state("dns-resolver:\n  config:\n    search: [\"bad domain\"]"),
                "spec.desiredState.dns-resolver.config.search[0]"),
            Arguments.of("PFC priority 8", interfaces("- name: ens8f0np0\n  type: ethernet\n  ieee-8021Qaz:\n    pfc:\n"
                + "      enabled: [3, 8]"), "spec.desiredState.interfaces[0].ieee-8021Qaz.pfc.enabled[1]"),
            Arguments.of("ETS bandwidths not 100", interfaces("- name: ens8f0np0\n  type: ethernet\n  ieee-8021Qaz:\n    ets:\n"
                + "      traffic-class:\n      - {traffic-class: 0, bandwidth: 70}\n      - {traffic-class: 3, bandwidth: 20}"),
                "spec.desiredState.interfaces[0].ieee-8021Qaz.ets.traffic-class"),
            Arguments.of("ETS class listed twice", interfaces("- name: ens8f0np0\n  type: ethernet\n  ieee-8021Qaz:\n    ets:\n"
                + "      traffic-class:\n      - {traffic-class: 3, bandwidth: 50}\n      - {traffic-class: 3, bandwidth: 50}"),
                "spec.desiredState.interfaces[0].ieee-8021Qaz.ets.traffic-class[1].traffic-class"),
            Arguments.of("lldp enabled not boolean", interfaces("- name: eth1\n  type: ethernet\n  lldp:\n    enabled: on-demand"),
                "spec.desiredState.interfaces[0].lldp.enabled"),
            Arguments.of("negative total-vfs", interfaces("- name: eth1\n  type: ethernet\n  ethernet:\n    sr-iov:\n      total-vfs: -1"),
                "spec.desiredState.interfaces[0].ethernet.sr-iov.total-vfs"),
            Arguments.of("VXLAN id too large", interfaces("- name: vx1\n  type: vxlan\n  vxlan:\n    id: 16777216\n    base-iface: eth1"),
                "spec.desiredState.interfaces[0].vxlan.id"),
            Arguments.of("MAC-VLAN unknown mode", interfaces("- name: mv1\n  type: mac-vlan\n  mac-vlan:\n    base-iface: eth1\n"
                + "    mode: hairpin"), "spec.desiredState.interfaces[0].mac-vlan.mode"),
            Arguments.of("more than 256 selector labels", spec("nodeSelector:\n" + java.util.stream.IntStream.range(0, 257)
                .mapToObj(i -> "  l" + i + ": v\n").collect(java.util.stream.Collectors.joining()) + "desiredState: {}\n"),
                "spec.nodeSelector"),
            // nmstream applies neither host names, OVN mappings nor InfiniBand: refused where they start
            Arguments.of("hostname", state("hostname:\n  config: \"bad host!\""), "spec.desiredState.hostname"),
            Arguments.of("route rule source not a network", state("route-rules:\n  config:\n  - ip-from: 10.0.0.0/33\n"
                + "    route-table: 100"), "spec.desiredState.route-rules.config[0].ip-from"),
            Arguments.of("OVN mappings", state("ovn:\n  bridge-mappings:\n  - bridge: br-ex"), "spec.desiredState.ovn"),
            Arguments.of("InfiniBand", interfaces("- name: ib0.8001\n  type: infiniband\n  infiniband:\n"
                + "    pkey: \"0x18001\"\n    base-iface: ib0\n    mode: datagram"), "spec.desiredState.interfaces[0].type"),
            Arguments.of("unknown interface key", interfaces("- name: eth1\n  type: ethernet\n  mtuu: 1400"),
                "spec.desiredState.interfaces[0].mtuu"),
            Arguments.of("team", interfaces("- name: team0\n  type: team"), "spec.desiredState.interfaces[0].type"),
            Arguments.of("per-interface forwarding", interfaces("- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n"
                + "    forwarding: true"), "spec.desiredState.interfaces[0].ipv4.forwarding"),
            Arguments.of("selector key prefix not a subdomain", spec("nodeSelector:\n  Example.COM/role: x\ndesiredState: {}\n"),
                "spec.nodeSelector[\"Example.COM/role\"]"),
            Arguments.of("selector key name too long", spec("nodeSelector:\n  " + "k".repeat(64) + ": x\ndesiredState: {}\n"),
                "spec.nodeSelector[\"" + "k".repeat(64) + "\"]"),
            Arguments.of("selector value too long", spec("nodeSelector:\n  role: " + "v".repeat(64) + "\ndesiredState: {}\n"),
                "spec.nodeSelector[\"role\"]"),
            Arguments.of("type block on another type", interfaces("- name: eth1\n  type: ethernet\n  link-aggregation:\n"
                + "    mode: 802.3ad"), "spec.desiredState.interfaces[0].link-aggregation"),
            Arguments.of("port with addresses of its own", interfaces("- name: bond0\n  type: bond\n  link-aggregation:\n"
                + "    mode: 802.3ad\n    port: [eth1]\n- name: eth1\n  type: ethernet\n  ipv4:\n    enabled: true\n    dhcp: true"),
                "spec.desiredState.interfaces[1].ipv4"),
            Arguments.of("veth is its own peer", interfaces("- name: veth0\n  type: veth\n  veth:\n    peer: veth0"),
                "spec.desiredState.interfaces[0].veth.peer"),
            Arguments.of("VRF on the local table", interfaces("- name: vrf1\n  type: vrf\n  vrf:\n    route-table-id: 255"),
                "spec.desiredState.interfaces[0].vrf.route-table-id"),
            Arguments.of("address listed twice", interfaces("- name: eth1\n  type: ethernet\n  ipv6:\n    enabled: true\n"
                + "    address:\n    - {ip: \"2001:db8::1\", prefix-length: 64}\n    - {ip: \"2001:DB8:0::1\", prefix-length: 64}"),
                "spec.desiredState.interfaces[0].ipv6.address[1].ip"),
            Arguments.of("strict-priority class with bandwidth", interfaces("- name: ens8f0np0\n  type: ethernet\n  ieee-8021Qaz:\n"
                + "    ets:\n      traffic-class:\n      - {traffic-class: 0, bandwidth: 100}\n"
                + "      - {traffic-class: 5, bandwidth: 10, algorithm: strict-priority}"),
                "spec.desiredState.interfaces[0].ieee-8021Qaz.ets.traffic-class[1].bandwidth"),
            Arguments.of("capture cycle", spec("capture:\n  a: capture.b | interfaces.name==\"x\"\n"
                + "  b: capture.a | interfaces.name==\"y\"\ndesiredState: {}\n"), "spec.capture.a"),
            Arguments.of("MAC address syntax", interfaces("- name: eth1\n  type: ethernet\n  mac-address: 52:54:00:12:34"),
                "spec.desiredState.interfaces[0].mac-address"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void invalidManifestIsRefusedAtThePathToFix(String description, String manifest, String expectedPath) {
        ManifestParser.Result result = new ManifestParser().parse("policy.yaml", manifest);

        assertThat(result.policies()).as("nothing of an invalid manifest is published").isEmpty();
        assertThat(result.problems()).extracting(ManifestProblem::path).as(description).contains(expectedPath);
        assertThat(result.problems()).allSatisfy(problem -> {
            assertThat(problem.source()).isEqualTo("policy.yaml");
            assertThat(problem.document()).isZero();
            assertThat(problem.allowed()).isNotBlank();
        });
    }

    @Test
    void invalidManifestCountCoversTheRequiredVariety() {
        assertThat(invalidManifests().map(arguments -> arguments.get()[2]).distinct().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void reportsEveryProblemOfAFileAtOnceWithDocumentIndexValueAndAllowedValues() {
        String text = """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: good
            spec:
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
            ---
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: bad
            spec:
              maxUnavailable: 0%
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                - name: eth1.5000
                  type: vlan
                  vlan:
                    base-iface: eth1
                    id: 5000
            """;

        ManifestParser.Result result = new ManifestParser().parse("fleet.yaml", text);

        assertThat(result.policies()).as("a file with any problem publishes nothing, not even its valid documents").isEmpty();
        assertThat(result.problems()).hasSize(2);
        ManifestProblem vlan = result.problems().stream().filter(p -> p.path().endsWith("vlan.id")).findFirst().orElseThrow();
        assertThat(vlan.document()).isEqualTo(1);
        assertThat(vlan.path()).isEqualTo("spec.desiredState.interfaces[1].vlan.id");
        assertThat(vlan.value()).isEqualTo("5000");
        assertThat(vlan.allowed()).contains("0 to 4094");
        assertThat(vlan.message()).isEqualTo("fleet.yaml document[1] spec.desiredState.interfaces[1].vlan.id: 5000 is not allowed: "
            + "must be an integer from 0 to 4094");
        assertThat(result.problems()).extracting(ManifestProblem::path).contains("spec.maxUnavailable");
    }

    @Test
    void acceptsEveryObjectMetaFieldOfAManifestAsKubectlGetWritesIt() {
        String exported = """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: |
                  {"apiVersion":"nmstate.io/v1","kind":"NodeNetworkConfigurationPolicy","metadata":{"name":"p1"}}
              creationTimestamp: "2026-11-30T09:12:44Z"
              generation: 3
              labels: {team: net}
              managedFields:
              - {apiVersion: nmstate.io/v1, fieldsType: FieldsV1, manager: kubectl-client-side-apply, operation: Update}
              name: p1
              resourceVersion: "918273"
              uid: 4f0c6a8e-1d2b-4c3e-9f5a-6b7c8d9e0f1a
            spec:
              desiredState:
                interfaces:
                - {name: eth1, type: ethernet, state: up}
            status:
              conditions: []
            """;

        ManifestParser.Result result = new ManifestParser().parse("exported.yaml", exported);

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).extracting(PolicyManifest::name).containsExactly("p1");
    }

    @Test
    void suggestsTheKnownFieldATypoMeantInMetadataToo() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", HEADER.replace("  name: p1\n",
            "  name: p1\n  lables: {team: net}\n") + "  desiredState: {}\n");

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("metadata.lables");
            assertThat(problem.allowed()).startsWith("unknown field of metadata; did you mean labels?");
        });
    }

    @Test
    void suggestsTheKnownFieldATypoMeant() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", interfaces("- name: eth1\n  type: ethernet\n  mtuu: 1400"));

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("spec.desiredState.interfaces[0].mtuu");
            assertThat(problem.value()).isEqualTo("\"mtuu\"");
            assertThat(problem.allowed()).startsWith("unknown field of an interface; did you mean mtu?");
        });
    }

    @Test
    void refusesAnInterfaceTypeNmstreamCannotApply() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", interfaces("- name: team0\n  type: team"));

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("spec.desiredState.interfaces[0].type");
            assertThat(problem.allowed()).startsWith("interface type team is not supported by nmstream (supported: ethernet, bond,");
        });
    }

    @Test
    void refusesANameThatIsNotAnRfc1123Subdomain() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", HEADER.replace("name: p1", "name: Bad_Name")
            + "  desiredState: {}\n");

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("metadata.name");
            assertThat(problem.value()).isEqualTo("\"Bad_Name\"");
            assertThat(problem.allowed()).contains("RFC 1123 subdomain");
        });
        assertThat(new ManifestParser().parse("p.yaml", HEADER.replace("name: p1", "name: roce.pfc-ets." + "a".repeat(200))
            + "  desiredState: {}\n").problems()).as("a subdomain of up to 253 characters is a name").isEmpty();
    }

    @Test
    void refusesAQuotedNumberOfNodesAsKubernetesIntOrStringDoes() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", spec("maxUnavailable: \"5\"\ndesiredState: {}\n"));

        assertThat(result.problems()).singleElement().extracting(ManifestProblem::message).isEqualTo("p.yaml document[0] "
            + "spec.maxUnavailable: \"5\" is not allowed: a string must be a percentage (\"5%\"); a number of nodes is written "
            + "without quotes (5)");
        assertThat(new ManifestParser().parse("p.yaml", spec("maxUnavailable: 5\ndesiredState: {}\n")).problems()).isEmpty();
        assertThat(new ManifestParser().parse("p.yaml", spec("maxUnavailable: 25%\ndesiredState: {}\n")).problems()).isEmpty();
    }

    @Test
    void refusesALabelKeyAndAValueThatKubernetesWouldRefuse() {
        ManifestParser.Result result = new ManifestParser().parse("p.yaml", spec("nodeSelector:\n  \"node-role/worker/x\": \"\"\n"
            + "  role: \"-gpu\"\n  kubernetes.io/hostname: node01\ndesiredState: {}\n"));

        assertThat(result.problems()).extracting(ManifestProblem::path, ManifestProblem::allowed).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("spec.nodeSelector[\"node-role/worker/x\"]", "the key must be " + LabelSyntax.KEY_RULE),
            org.assertj.core.groups.Tuple.tuple("spec.nodeSelector[\"role\"]", "the value must be " + LabelSyntax.VALUE_RULE));
    }

    @Test
    void locatesCaptureSyntaxErrorsByColumn() {
        ManifestParser.Result result = new ManifestParser().parse("c.yaml", spec("capture:\n  eths: interfaces.type=!\"ethernet\"\n"
            + "desiredState: {}\n"));

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("spec.capture.eths");
            assertThat(problem.allowed()).contains("column 16");
        });
    }

    @Test
    void reportsYamlSyntaxErrorsWithLineAndColumn() {
        ManifestParser.Result result = new ManifestParser().parse("broken.yaml", "apiVersion: nmstate.io/v1\nkind: [unclosed\n");

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.value()).startsWith("line ");
            assertThat(problem.allowed()).startsWith("must be YAML or JSON");
        });
    }

    @Test
    void refusesTheSamePolicyNameTwiceInOneSource() {
        String one = interfaces("- name: eth1\n  type: ethernet");

        ManifestParser.Result result = new ManifestParser().parse("dup.yaml", one + "---\n" + one);

        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.document()).isEqualTo(1);
            assertThat(problem.path()).isEqualTo("metadata.name");
        });
    }
}
