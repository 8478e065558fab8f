package io.nmstream.ingest.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Durations;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.NmstateKind;
import io.nmstream.common.status.PolicyWait;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Waits, for {@code policy delete --wait} and {@code policy apply --prune --wait}, until a policy just deleted is gone
 * from the status, and its enactments too (a node reverting it keeps its NNCE until it has), so that {@code get} no
 * longer lists them.
 */
final class DeletionWait {

    private DeletionWait() {
    }

    /**
     * Whether every one of {@code policies} was gone within {@code timeout}, the time they share; when not, says so on
     * {@code err} for the first that was not, naming what is left.
     */
    static boolean awaitGone(ClusterSettings settings, Topics topics, String clientIdPrefix, List<String> policies, Duration timeout,
                             PrintWriter err) {
        String clientId = clientIdPrefix + "-wait-" + UUID.randomUUID();
        Instant deadline = Instant.now().plus(timeout);
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(settings.clientProperties(), topics.status(), clientId, rejections)) {
            for (String policy : policies) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (!awaitGone(follower, policy, left.isNegative() ? Duration.ZERO : left, timeout, err)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether {@code policy} was gone within {@code timeout}, read on a follower already open; when not, says so on {@code err}. */
    static boolean awaitGone(StatusFollower follower, String policy, Duration timeout, Duration asked, PrintWriter err) {
        PolicyWait.Result result = PolicyWait.awaitDeletion(policy, 0, true, follower, timeout);
        if (result.outcome() == PolicyWait.Outcome.MET) {
            return true;
        }
        err.println("error: timed out after " + Durations.format(asked) + " waiting for the status of "
            + NmstateKind.NNCP.objectName(policy) + " to be gone"
            + (result.failures().isEmpty() ? "" : "; enactments not yet removed: " + String.join(", ", result.failures())));
        return false;
    }
}
