package io.nmstream.status.fold;

import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import java.util.List;
import java.util.Objects;

/**
 * The one diff of statuses: whether two statuses say the same thing, ignoring {@code lastTransitionTime} and
 * {@code updatedAt}.
 *
 * <p>Publishing and Kubernetes writes are skipped when this finds no difference, so a status that only had its clocks
 * touched never costs a record or an API call.
 */
public final class StatusDiff {

    private StatusDiff() {
    }

    /** True when {@code a} and {@code b} differ in something besides their timestamps; a null status differs from any other. */
    public static boolean changed(ResourceStatus a, ResourceStatus b) {
        if (a == null || b == null) {
            return a != b;
        }
        return a.getKind() != b.getKind()
            || !a.getName().equals(b.getName())
            || a.getGeneration() != b.getGeneration()
            || a.getDeleted() != b.getDeleted()
            || !Objects.equals(a.getDetail(), b.getDetail())
            || !Objects.equals(a.getHostNetworkManagerVersion(), b.getHostNetworkManagerVersion())
            || !a.getLabels().equals(b.getLabels())
            || conditionsChanged(a.getConditions(), b.getConditions());
    }

    /** True when the lists differ in type, status, reason or message of any condition, or in their order. */
    public static boolean conditionsChanged(List<StatusCondition> a, List<StatusCondition> b) {
        if (a == b) {
            return false;
        }
        if (a.size() != b.size()) {
            return true;
        }
        for (int i = 0; i < a.size(); i++) {
            StatusCondition x = a.get(i);
            StatusCondition y = b.get(i);
            if (x != y && (!x.getType().equals(y.getType()) || !x.getStatus().equals(y.getStatus())
                || !x.getReason().equals(y.getReason()) || !x.getMessage().equals(y.getMessage()))) {
                return true;
            }
        }
        return false;
    }
}
