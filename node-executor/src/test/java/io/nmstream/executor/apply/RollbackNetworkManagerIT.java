package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.nmstream.executor.nm.NetworkManagerBackend;
import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * What a rollback leaves, read the moment it returns, against a real NetworkManager 1.42: the host as it was at the
 * checkpoint, or, where something outside NetworkManager changed it meanwhile, that change left alone and named in the
 * agent's log. The tests make veths of their own (the sandbox's are shared with the other classes of the test JVM), which
 * are removed after each test, with any checkpoint a failed test left pending, whether the test passed or not.
 */
@ExtendWith(NetworkManagerSandboxExtension.class)
class RollbackNetworkManagerIT {

    /** Every veth, and its peer, that a test of this class makes. */
    private static final List<String> VETHS = List.of("rb0", "rb0p", "rb2", "rb2p", "rb4", "rb4p");

    private final NetworkManagerSandbox sandbox;
    private NetworkManagerBackend nm;
    private NodeApplier applier;
    private final ListAppender<ILoggingEvent> backendLog = new ListAppender<>();

    RollbackNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void connect() {
        nm = NetworkManagerBackend.connect(sandbox.busAddress());
        applier = new NodeApplier(nm, 5, Duration.ofSeconds(1), CommitGate.OPEN);
        backendLog.start();
        ((Logger) LoggerFactory.getLogger(NetworkManagerBackend.class)).addAppender(backendLog);
    }

    @AfterEach
    void rollBackWhatIsPendingRemoveTheVethsAndDisconnect() {
        ((Logger) LoggerFactory.getLogger(NetworkManagerBackend.class)).detachAppender(backendLog);
        try {
            nm.checkpoints().forEach(nm::rollback);
            apply("interfaces: [" + String.join(", ", VETHS.stream().map(n -> "{name: " + n + ", state: absent}").toList()) + "]",
                true);
        } finally {
            nm.close();
        }
    }

    private ApplyResult apply(String yaml, boolean commit) {
        return applier.apply(ApplyContext.manual("sandbox"), NmstateParser.parse(yaml), SandboxRequests.fromOutside().withCommit(commit));
    }

    /** A veth and its peer, the veth with {@code address}/24 and no IPv6. */
    private static String veth(String name, String address) {
        return "{name: " + name + ", type: veth, veth: {peer: " + name + "p}, ipv6: {enabled: false}, "
            + "ipv4: {enabled: true, address: [{ip: " + address + ", prefix-length: 24}]}}";
    }

    @Test
    void aBridgeTakingAnInterfacesAddressIsGoneAndTheHostReadsAsBeforeTheMomentTheRollbackReturns() {
        apply("interfaces: [" + veth("rb0", "192.0.2.30") + "]", true);
        NetworkState before = nm.currentState();

        // the example br1-default-gw in small: the address moves to a new bridge with the interface as its port
        ApplyResult pending = apply("""
            interfaces:
            - name: br30
              type: linux-bridge
              ipv4: {enabled: true, address: [{ip: 192.0.2.30, prefix-length: 24}]}
              bridge: {options: {stp: {enabled: false}}, port: [{name: rb0}]}
            - name: rb0
              type: veth
              ipv4: {enabled: false}
            """, false);
        assertThat(nm.currentState().find("br30")).isPresent();
        nm.rollback(pending.pendingCheckpoint());

        assertThat(nm.currentState()).isEqualTo(before);
        assertThat(sandbox.ip("-br", "link", "show")).doesNotContainPattern("(?m)^br30 ");
        assertThat(sandbox.ip("-4", "addr", "show", "dev", "rb0")).contains("inet 192.0.2.30/24");
        assertThat(backendLog.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void aChangeMadeOutsideNetworkManagerWhileAnApplyWasPendingIsLeftAloneAndNamedInTheLog() {
        apply("interfaces: [" + veth("rb2", "192.0.2.32") + ", " + veth("rb4", "192.0.2.34") + "]", true);
        ApplyResult pending = apply("interfaces: [{name: rb2, type: veth, ipv4: {enabled: true, "
            + "address: [{ip: 192.0.2.33, prefix-length: 24}]}}]", false);
        sandbox.ip("addr", "add", "198.51.100.34/24", "dev", "rb4");

        nm.rollback(pending.pendingCheckpoint());

        assertThat(sandbox.ip("-4", "addr", "show", "dev", "rb2")).as("what the apply changed is undone")
            .contains("inet 192.0.2.32/24").doesNotContain("192.0.2.33");
        assertThat(sandbox.ip("-4", "addr", "show", "dev", "rb4")).as("what it did not change is left as it is")
            .contains("inet 192.0.2.34/24").contains("inet 198.51.100.34/24");
        assertThat(backendLog.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
            .extracting(ILoggingEvent::getFormattedMessage).asString()
            .contains("does not read as it did when checkpoint " + pending.pendingCheckpoint().id() + " was made")
            .contains("interface rb4:").contains("198.51.100.34");
        assertThat(nm.checkpoints()).isEmpty();
    }
}
