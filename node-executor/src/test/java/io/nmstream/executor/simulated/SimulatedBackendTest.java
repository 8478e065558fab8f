package io.nmstream.executor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.nmstate.InterfaceSpec;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedBackendTest {

    @Test
    void hostsOfAHundredThousandNodeFleetHaveDistinctAddressesAndMacs() {
        List<NetworkState> hosts = IntStream.of(1, 249, 250, 63_999, 64_000, 65_536, 100_000).mapToObj(SimulatedBackend::typicalHost)
            .toList();

        assertThat(hosts.stream().map(h -> eth0(h).ipv4().addresses().get(0).ip())).doesNotHaveDuplicates();
        assertThat(hosts.stream().flatMap(h -> h.interfaces().stream().map(InterfaceSpec::macAddress))).doesNotHaveDuplicates();
        assertThat(eth0(SimulatedBackend.typicalHost(100_000)).ipv4().addresses().get(0).ip()).isEqualTo("10.1.144.2");
        assertThat(SimulatedBackend.typicalHost(100_000).routes().get(0).nextHopAddress()).isEqualTo("10.1.0.1");
    }

    @Test
    void theFirstHostsKeepTheirManagementNetwork() {
        NetworkState host = SimulatedBackend.typicalHost(7);
        assertThat(eth0(host).ipv4().addresses().get(0).ip()).isEqualTo("10.0.0.9");
        assertThat(eth0(host).macAddress()).isEqualTo("52:54:00:00:07:00");
        assertThat(host.routes().get(0).nextHopAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void anIndexBeyondTheAddressPlanIsRefused() {
        assertThatThrownBy(() -> SimulatedBackend.typicalHost(16_384_000)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16384000");
    }

    @Test
    void aKeptHostComesBackWithWhatItCommittedAndWithoutWhatItNeverCommitted(@TempDir Path dir) {
        Path file = dir.resolve("host-state.json");
        SimulatedBackend host = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());
        Checkpoint committed = host.createCheckpoint(Duration.ofMinutes(1));
        host.apply(mtu(9000), ApplyOptions.defaults());
        host.commit(committed);
        host.createCheckpoint(Duration.ofMinutes(1));
        host.apply(mtu(4000), ApplyOptions.defaults());
        host.close();

        SimulatedBackend restarted = SimulatedBackend.keptIn(file, SimulatedBackend.typicalHost(3), Duration.ZERO, FailureRules.none());

        assertThat(restarted.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(restarted.checkpoints()).isEmpty();
        assertThat(eth0(restarted.currentState())).isEqualTo(eth0(SimulatedBackend.typicalHost(3)));
    }

    private static NetworkState mtu(int mtu) {
        return NmstateParser.parse("{\"interfaces\":[{\"name\":\"ens8f0np0\",\"type\":\"ethernet\",\"state\":\"up\",\"mtu\":" + mtu
            + "}]}");
    }

    private static InterfaceSpec eth0(NetworkState host) {
        return host.find("eth0").orElseThrow();
    }
}
