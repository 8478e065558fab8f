package io.nmstream.nmstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.nmstate.DnsConfig;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.InterfaceState;
import io.nmstream.nmstate.InterfaceType;
import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.IpConfig;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Captures resolved as nmpolicy resolves them: the current states, policies and generated states of nmpolicy's
 * documentation examples, and the kubernetes-nmstate examples of this repository applied to a host model.
 */
class CaptureResolverTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** nmpolicy docs/examples/bridge-on-default-gw-no-dhcp/current.yaml. */
    private static final String GATEWAY_HOST = """
        routes:
          running:
          - destination: 0.0.0.0/0
            next-hop-address: 192.168.100.1
            next-hop-interface: eth1
            table-id: 254
          - destination: 1.1.1.0/24
            next-hop-address: 192.168.100.1
            next-hop-interface: eth1
            table-id: 254
        interfaces:
        - name: eth1
          type: ethernet
          state: up
          mac-address: 00:00:5E:00:00:01
          ipv4:
            address:
            - ip: 10.244.0.1
              prefix-length: 24
            - ip: 169.254.1.0
              prefix-length: 16
            dhcp: false
            enabled: true
        """;

    private static final Map<String, String> BRIDGE_CAPTURES = captures(
        "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
        "base-iface", "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface",
        "base-iface-routes", "routes.running.next-hop-interface==capture.base-iface.interfaces.0.name",
        "bridge-routes", "capture.base-iface-routes | routes.running.next-hop-interface:=\"br1\"");

    @Test
    void bridgeOnTheDefaultGatewayInterfaceGeneratesWhatNmpolicyDocuments() throws CaptureException {
        JsonNode desired = yaml("""
            interfaces:
            - name: br1
              description: Linux bridge with base interface as a port
              type: linux-bridge
              state: up
              mac-address: "{{ capture.base-iface.interfaces.0.mac-address }}"
              ipv4: "{{ capture.base-iface.interfaces.0.ipv4 }}"
              bridge:
                options:
                  stp:
                    enabled: false
                port:
                - name: "{{ capture.base-iface.interfaces.0.name }}"
            routes:
              config: "{{ capture.bridge-routes.routes.running }}"
            """);

        JsonNode resolved = CaptureResolver.resolve(BRIDGE_CAPTURES, desired, yaml(GATEWAY_HOST));

        assertThat(resolved).isEqualTo(yaml("""
            interfaces:
            - name: br1
              description: Linux bridge with base interface as a port
              type: linux-bridge
              state: up
              mac-address: 00:00:5E:00:00:01
              ipv4:
                address:
                - ip: 10.244.0.1
                  prefix-length: 24
                - ip: 169.254.1.0
                  prefix-length: 16
                dhcp: false
                enabled: true
              bridge:
                options:
                  stp:
                    enabled: false
                port:
                - name: eth1
            routes:
              config:
              - destination: 0.0.0.0/0
                next-hop-address: 192.168.100.1
                next-hop-interface: br1
                table-id: 254
              - destination: 1.1.1.0/24
                next-hop-address: 192.168.100.1
                next-hop-interface: br1
                table-id: 254
            """));
    }

    @Test
    void statesCapturedBeforeFillTheTemplatesAsTheCapturesWouldWithoutEvaluatingAnyExpression() throws CaptureException {
        JsonNode desired = yaml("""
            interfaces:
            - name: br1
              type: linux-bridge
              ipv4: "{{ capture.base-iface.interfaces.0.ipv4 }}"
            routes:
              config: "{{ capture.bridge-routes.routes.running }}"
            """);
        Map<String, JsonNode> captured = CaptureResolver.captures(BRIDGE_CAPTURES, yaml(GATEWAY_HOST));

        assertThat(CaptureResolver.expand(desired, captured))
            .isEqualTo(CaptureResolver.resolve(BRIDGE_CAPTURES, desired, yaml(GATEWAY_HOST)));
        Map<String, JsonNode> edited = new LinkedHashMap<>(captured);
        edited.put("base-iface", yaml("interfaces: [{name: eth9, ipv4: {enabled: false}}]"));
        assertThat(CaptureResolver.expand(desired, edited).at("/interfaces/0/ipv4")).isEqualTo(yaml("enabled: false"));
        edited.remove("bridge-routes");
        assertThatThrownBy(() -> CaptureResolver.expand(desired, edited)).isInstanceOf(CaptureException.class)
            .hasMessage("Template {{ capture.bridge-routes.routes.running }} at routes.config reads capture bridge-routes, which the "
                + "captured states do not hold");
        edited.put("bridge-routes", yaml("routes: {config: []}"));
        assertThatThrownBy(() -> CaptureResolver.expand(desired, edited)).isInstanceOf(CaptureException.class)
            .hasMessage("Template {{ capture.bridge-routes.routes.running }} at routes.config: in capture bridge-routes (captured "
                + "before) routes has no field 'running'");
    }

    @Test
    void aFilterOnAListKeepsTheMatchingEntriesInTheDocumentsShape() throws CaptureException {
        Map<String, JsonNode> captured = CaptureResolver.captures(BRIDGE_CAPTURES, yaml(GATEWAY_HOST));

        assertThat(captured.get("default-gw")).isEqualTo(yaml("""
            routes:
              running:
              - destination: 0.0.0.0/0
                next-hop-address: 192.168.100.1
                next-hop-interface: eth1
                table-id: 254
            """));
        assertThat(captured.get("base-iface").get("interfaces")).hasSize(1);
        assertThat(captured.get("base-iface").has("routes")).isFalse();
    }

    @Test
    void replaceSetsTheFieldInEveryEntryAndKeepsTheRestOfTheState() throws CaptureException {
        Map<String, JsonNode> captured = CaptureResolver.captures(captures(
            "moved", "routes.running.next-hop-interface:=\"br1\"",
            "lldp", "interfaces.lldp.enabled:=true"), yaml(GATEWAY_HOST));

        assertThat(captured.get("moved").at("/routes/running").findValuesAsText("next-hop-interface")).containsExactly("br1", "br1");
        assertThat(captured.get("moved").at("/interfaces/0/name").asText()).isEqualTo("eth1");
        assertThat(captured.get("lldp").at("/interfaces/0/lldp")).isEqualTo(yaml("enabled: true"));
        assertThat(captured.get("lldp").at("/routes/running/0/next-hop-interface").asText()).isEqualTo("eth1");
    }

    @Test
    void allEthernetUpFromNmpolicysDocumentationFiltersACaptureWrittenBeforeTheOperator() throws CaptureException {
        JsonNode host = yaml("""
            interfaces:
            - {name: eth0, type: ethernet, state: up, lldp: {enabled: false}}
            - {name: eth1, type: ethernet, state: down, lldp: {enabled: false}}
            - {name: br0, type: linux-bridge, state: up}
            - {name: eth4, type: ethernet, state: up}
            """);
        Map<String, String> capture = captures(
            "ethernets", "interfaces.type==\"ethernet\"",
            "ethernets-up", "capture.ethernets.interfaces.state==\"up\"",
            "ethernets-lldp", "capture.ethernets-up | interfaces.lldp.enabled:=true");

        JsonNode resolved = CaptureResolver.resolve(capture, yaml("interfaces: \"{{ capture.ethernets-lldp.interfaces }}\""), host);

        assertThat(resolved).isEqualTo(yaml("""
            interfaces:
            - {name: eth0, type: ethernet, state: up, lldp: {enabled: true}}
            - {name: eth4, type: ethernet, state: up, lldp: {enabled: true}}
            """));
    }

    @Test
    void notEqualsKeepsTheEntriesThatDiffer() throws CaptureException {
        Map<String, JsonNode> captured = CaptureResolver.captures(captures("not-default", "routes.running.destination!=\"0.0.0.0/0\""),
            yaml(GATEWAY_HOST));

        assertThat(captured.get("not-default").at("/routes/running").findValuesAsText("destination")).containsExactly("1.1.1.0/24");
    }

    @Test
    void convertDhcpToStaticExampleResolvesOnAHostAndParsesStrictly() throws CaptureException {
        NetworkState host = new NetworkState(
            List.of(InterfaceSpec.builder("eth0").type(InterfaceType.ETHERNET).state(InterfaceState.UP).mtu(1500)
                .ipv4(new IpConfig(true, true, null, List.of(new IpAddress("10.244.0.7", 24)), true, true, true))
                .ipv6(new IpConfig(true, true, true, List.of(new IpAddress("2001:db8::7", 64)), true, true, true)).build(),
                InterfaceSpec.builder("eth1").type(InterfaceType.ETHERNET).state(InterfaceState.DOWN).build()),
            List.of(),
            List.of(new Route("0.0.0.0/0", "eth0", "10.244.0.1", 100L, null, false),
                new Route("10.244.0.0/24", "eth0", null, 100L, null, false),
                new Route("192.0.2.0/24", "eth1", null, 100L, null, false)),
            new DnsConfig(List.of("10.244.0.1"), List.of("example.com"), null));
        JsonNode example = example("convert-dhcp-to-static.yaml");

        JsonNode resolved = CaptureResolver.resolve(captureOf(example), example.at("/spec/desiredState"), host);
        NetworkState parsed = NmstateParser.parse(resolved);

        assertThat(parsed.find("eth0").orElseThrow().ipv4().addresses()).containsExactly(new IpAddress("10.244.0.7", 24));
        assertThat(parsed.find("eth0").orElseThrow().ipv4().dhcp()).isFalse();
        assertThat(parsed.find("eth0").orElseThrow().ipv6().addresses()).containsExactly(new IpAddress("2001:db8::7", 64));
        assertThat(parsed.routes()).extracting(Route::destination).containsExactly("0.0.0.0/0", "10.244.0.0/24");
        assertThat(parsed.dns().servers()).containsExactly("10.244.0.1");
        assertThat(parsed.dns().searches()).containsExactly("example.com");
    }

    @Test
    void lldpExampleTurnsEveryEthernetThatIsUpIntoADesiredInterface() throws CaptureException {
        NetworkState host = new NetworkState(List.of(
            InterfaceSpec.builder("eth0").type(InterfaceType.ETHERNET).state(InterfaceState.UP).mtu(1500).lldp(false).build(),
            InterfaceSpec.builder("eth1").type(InterfaceType.ETHERNET).state(InterfaceState.DOWN).mtu(1500).lldp(false).build(),
            InterfaceSpec.builder("veth0").type(InterfaceType.VETH).state(InterfaceState.UP).vethPeer("veth1").lldp(false).build()),
            List.of(), List.of(), null);
        JsonNode example = example("lldp.yaml");

        NetworkState parsed = NmstateParser.parse(CaptureResolver.resolve(captureOf(example), example.at("/spec/desiredState"), host));

        assertThat(parsed.interfaces()).extracting(InterfaceSpec::name).containsExactly("eth0");
        assertThat(parsed.interfaces().get(0).lldp()).as("the example turns LLDP on, as its name says").isTrue();
        assertThat(parsed.interfaces().get(0).mtu()).isEqualTo(1500);
    }

    @Test
    void theBridgeExampleOfThisRepositoryResolvesOnAHostModelAndParsesStrictly() throws CaptureException {
        NetworkState host = new NetworkState(
            List.of(InterfaceSpec.builder("eth1").type(InterfaceType.ETHERNET).state(InterfaceState.UP).mtu(1500)
                .macAddress("02:00:00:00:00:01")
                .ipv4(new IpConfig(true, false, null, List.of(new IpAddress("192.168.100.7", 24)), null, null, null))
                .ipv6(IpConfig.disabled()).build()),
            List.of(Route.via("0.0.0.0/0", "eth1", "192.168.100.1")),
            List.of(new Route("0.0.0.0/0", "eth1", "192.168.100.1", 100L, null, false)),
            null);
        JsonNode example = example("linux-bridge-on-default-gw.yaml");

        NetworkState parsed = NmstateParser.parse(CaptureResolver.resolve(captureOf(example), example.at("/spec/desiredState"), host));

        InterfaceSpec bridge = parsed.find("br1").orElseThrow();
        assertThat(bridge.bridge().portNames()).containsExactly("eth1");
        assertThat(bridge.ipv4().addresses()).containsExactly(new IpAddress("192.168.100.7", 24));
        assertThat(bridge.ipv6().isEnabled()).as("an IPv4-only host's interface has IPv6 disabled, and so has its bridge").isFalse();
        assertThat(parsed.routes()).containsExactly(new Route("0.0.0.0/0", "br1", "192.168.100.1", 100L, null, false));
    }

    @Test
    void aCaptureThatMatchesNothingFailsNamingItsExpression() {
        JsonNode host = yaml("""
            interfaces:
            - {name: eth1, type: ethernet, state: up}
            routes:
              running: []
            """);

        assertThatThrownBy(() -> CaptureResolver.resolve(BRIDGE_CAPTURES, yaml("interfaces: []"), host))
            .isInstanceOf(CaptureException.class)
            .hasMessage("Capture default-gw matched nothing: routes.running.destination==\"0.0.0.0/0\"");
    }

    @Test
    void aCaptureNoTemplateReadsIsResolvedToo() {
        assertThatThrownBy(() -> CaptureResolver.resolve(captures("bond0", "interfaces.name==\"bond0\""), yaml("interfaces: []"),
            yaml(GATEWAY_HOST)))
            .hasMessage("Capture bond0 matched nothing: interfaces.name==\"bond0\"");
    }

    @Test
    void aTemplatePathItsCaptureDoesNotHoldFailsNamingCaptureExpressionAndPath() {
        JsonNode desired = yaml("""
            interfaces:
            - name: br1
              bridge:
                port:
                - name: "{{ capture.base-iface.interfaces.1.name }}"
            """);

        assertThatThrownBy(() -> CaptureResolver.resolve(BRIDGE_CAPTURES, desired, yaml(GATEWAY_HOST)))
            .isInstanceOf(CaptureException.class)
            .hasMessage("Template {{ capture.base-iface.interfaces.1.name }} at interfaces[0].bridge.port[0].name: in capture"
                + " base-iface (interfaces.name==capture.default-gw.routes.running.0.next-hop-interface) interfaces has no entry 1"
                + " (the list has 1)");
    }

    @Test
    void aReferenceIntoAnotherCaptureThatDoesNotHoldThePathFails() {
        Map<String, String> capture = captures(
            "default-gw", "routes.running.destination==\"0.0.0.0/0\"",
            "base-iface", "interfaces.name==capture.default-gw.routes.running.3.next-hop-interface");

        assertThatThrownBy(() -> CaptureResolver.captures(capture, yaml(GATEWAY_HOST)))
            .hasMessage("Capture base-iface reads capture.default-gw.routes.running.3.next-hop-interface, but in capture default-gw"
                + " (routes.running.destination==\"0.0.0.0/0\") routes.running has no entry 3 (the list has 1):"
                + " interfaces.name==capture.default-gw.routes.running.3.next-hop-interface");
    }

    @Test
    void comparingValuesOfDifferentKindsFailsAsInNmpolicy() {
        assertThatThrownBy(() -> CaptureResolver.captures(captures("up", "interfaces.state==true"), yaml(GATEWAY_HOST)))
            .hasMessage("Capture up: interfaces.state holds the string \"up\", which cannot be compared with the boolean true:"
                + " interfaces.state==true");
    }

    @Test
    void aPathFilterKeepsWhatLiesUnderThePath() throws CaptureException {
        NetworkState host = new NetworkState(List.of(), List.of(), List.of(),
            new DnsConfig(List.of("192.0.2.53"), List.of("example.org"), null));

        Map<String, JsonNode> captured = CaptureResolver.captures(captures("dns", "dns-resolver.running"), CaptureResolver.stateTree(host));

        assertThat(captured.get("dns")).isEqualTo(yaml("""
            dns-resolver:
              running:
                search: [example.org]
                server: [192.0.2.53]
            """));
    }

    @Test
    void runningDnsIsWhatTheHostResolvesWithDhcpsServersIncludedWhereTheHostTellsIt() throws CaptureException {
        // a DHCP host: no name server configured, one learnt; convert-dhcp-to-static.yaml captures the running ones
        NetworkState host = new NetworkState(List.of(), List.of(), List.of(), new DnsConfig(List.of(), List.of(), null), List.of(),
            new DnsConfig(List.of("198.18.5.53"), List.of("lab.test"), null));

        Map<String, JsonNode> captured = CaptureResolver.captures(captures("dns", "dns-resolver.running"), CaptureResolver.stateTree(host));

        assertThat(captured.get("dns")).isEqualTo(yaml("""
            dns-resolver:
              running:
                search: [lab.test]
                server: [198.18.5.53]
            """));
    }

    @Test
    void aFilterOnAListIndexFailsSayingWhatToFilterOn() {
        assertThatThrownBy(() -> CaptureResolver.captures(captures("first", "interfaces.0.name==\"eth1\""), yaml(GATEWAY_HOST)))
            .hasMessage("Capture first: interfaces is a list: filter on a field of its entries, not on the index 0:"
                + " interfaces.0.name==\"eth1\"");
    }

    @Test
    void capturesReadingEachOtherInACycleFail() {
        assertThatThrownBy(() -> CaptureResolver.captures(captures("a", "capture.b | interfaces.name==\"x\"",
            "b", "capture.a | interfaces.name==\"y\""), yaml(GATEWAY_HOST)))
            .hasMessageStartingWith("Capture a reads itself through a -> b");
    }

    @Test
    void theDesiredStateGivenIsNotModified() throws CaptureException {
        JsonNode desired = yaml("interfaces:\n- name: \"{{ capture.base-iface.interfaces.0.name }}\"\n");
        JsonNode copy = desired.deepCopy();

        CaptureResolver.resolve(BRIDGE_CAPTURES, desired, yaml(GATEWAY_HOST));

        assertThat(desired).isEqualTo(copy);
    }

    private static Map<String, String> captures(String... nameThenExpression) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenExpression.length; i += 2) {
            out.put(nameThenExpression[i], nameThenExpression[i + 1]);
        }
        return out;
    }

    private static Map<String, String> captureOf(JsonNode manifest) {
        Map<String, String> out = new LinkedHashMap<>();
        manifest.at("/spec/capture").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static JsonNode example(String file) {
        try {
            return YAML.readTree(Files.readString(Path.of("..", "examples", file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
