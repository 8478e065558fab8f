package io.nmstream.ingest.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.common.status.PolicyWait;
import io.nmstream.common.status.StatusFollower;
import io.nmstream.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;

/**
 * Waits, for {@code policy delete --wait} and {@code policy apply --prune --wait}, until a policy just deleted is gone
 * from the status, and its enactments too (a node reverting it keeps its NNCE until it has), so that {@code get} no
 * longer lists them.
 */
final class DeletionWait {

    private DeletionWait() {
    }

    /** Whether {@code policy} was gone within {@code timeout}; when not, says so on {@code err}, naming what is left. */
    static boolean awaitGone(ClusterSettings settings, Topics topics, String clientIdPrefix, String policy, Duration timeout,
                             Duration asked, PrintWriter err) {
        String clientId = clientIdPrefix + "-wait-" + UUID.randomUUID();
        try (RejectedRecords rejections = RejectedRecords.countedOnly(clientId, new SimpleMeterRegistry());
             StatusFollower follower = new StatusFollower(settings.clientProperties(), topics.status(), clientId, rejections)) {
            return awaitGone(follower, policy, timeout, asked, err);
        }
    }

    /** {@link #awaitGone(ClusterSettings, Topics, String, String, Duration, Duration, PrintWriter)} on a follower already open. */
    static boolean awaitGone(StatusFollower follower, String policy, Duration timeout, Duration asked, PrintWriter err) {
        PolicyWait.Result result = PolicyWait.awaitDeletion(policy, 0, true, follower, timeout);
        if (result.outcome() == PolicyWait.Outcome.MET) {
            return true;
        }
        err.println("error: timed out after " + asked + " waiting for the status of policy/" + policy + " to be gone"
            + (result.failures().isEmpty() ? "" : "; enactments not yet removed: " + String.join(", ", result.failures())));
        return false;
    }
}
