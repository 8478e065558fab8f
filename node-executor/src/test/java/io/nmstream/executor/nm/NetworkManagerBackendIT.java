package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.backend.ApplyOptions;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.model.NetworkState;
import io.nmstream.executor.model.NmstateDocuments;
import io.nmstream.executor.model.StateVerifier;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NetworkManagerSandboxExtension.class)
class NetworkManagerBackendIT {

    @Test
    void checkpointRollbackRestoresTheStateBeforeTheApply(NetworkManagerSandbox sandbox) {
        try (NetworkManagerBackend nm = NetworkManagerBackend.connect(sandbox.busAddress())) {
            NetworkState before = nm.currentState();
            System.out.println(NmstateDocuments.toYaml(before));
            Checkpoint checkpoint = nm.createCheckpoint(Duration.ofSeconds(60));
            NetworkState desired = NmstateDocuments.parse("""
                interfaces:
                - name: v10
                  type: ethernet
                  state: up
                  mtu: 9000
                  ipv4: {enabled: true, dhcp: false, address: [{ip: 192.0.2.10, prefix-length: 24}]}
                  ipv6: {enabled: true, dhcp: false, autoconf: false, address: [{ip: "2001:db8::10", prefix-length: 64}]}
                """);
            nm.apply(desired, ApplyOptions.defaults());
            NetworkState after = nm.currentState();
            System.out.println(NmstateDocuments.toYaml(after));
            assertThat(StateVerifier.mismatches(desired, after)).isEmpty();
            assertThat(sandbox.ip("addr", "show", "v10")).contains("mtu 9000").contains("192.0.2.10/24");
            nm.rollback(checkpoint);
            assertThat(nm.currentState()).isEqualTo(before);
        }
    }
}
