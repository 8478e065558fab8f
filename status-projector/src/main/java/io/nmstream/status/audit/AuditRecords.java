package io.nmstream.status.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.avro.SourceKind;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.EventContract;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Converts events to audit records and back, and audit records to and from JSON lines.
 *
 * <p>An enactment and a rollout survive the round trip whole; a policy event keeps what status depends on (action,
 * name, uid, generation, time) and its audit metadata, not its desired state.
 */
public final class AuditRecords {

    private static final String POLICY_PREFIX = "policy.";
    private static final String ENACTMENT_PREFIX = "enactment.";
    private static final String ROLLOUT_MATCHED = "rollout.matched";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private AuditRecords() {
    }

    public static AuditRecord of(EnactmentEvent e) {
        return new AuditRecord(e.getTimestamp().toString(), ENACTMENT_PREFIX + lower(e.getPhase().name()), outcome(e),
            e.getNode(), e.getPolicy(), e.getGeneration(), e.getCommandId(), e.getDurationMillis(), e.getMessage(),
            e.getReason(), e.getAttempt(), e.getErrorDetail(), e.getEventId(), e.getDesiredStateDigest(), e.getResolvedStateDigest(),
            e.getResolvedState(), text(e.getStartedAt()), text(e.getFinishedAt()), null, null, null, null, null, null);
    }

    public static AuditRecord of(RolloutEvent r) {
        String message = r.getMatchedNodes() + " nodes match, maxUnavailable " + r.getMaxUnavailableNodes();
        return new AuditRecord(r.getTimestamp().toString(), ROLLOUT_MATCHED, "success", null, r.getPolicy(), r.getGeneration(), null,
            null, message, null, null, null, null, null, null, null, null, null, r.getUid(), null, null, null, r.getMatchedNodes(),
            r.getMaxUnavailableNodes());
    }

    public static AuditRecord of(PolicyEvent p) {
        PolicySource source = p.getSource();
        return new AuditRecord(p.getEventTime().toString(), POLICY_PREFIX + lower(p.getAction().name()), "success", null,
            p.getName(), p.getGeneration(), null, null, "", null, null, null, null,
            p.getDesiredStateDigest().isEmpty() ? null : p.getDesiredStateDigest(), null, null, null, null, p.getUid(),
            source == null ? null : source.getUser(), source == null ? null : lower(source.getKind().name()),
            source == null || source.getOrigin().isEmpty() ? null : source.getOrigin(), null, null);
    }

    /** True for a record of a policy change, false for an enactment step. */
    public static boolean isPolicy(AuditRecord record) {
        return record.action() != null && record.action().startsWith(POLICY_PREFIX);
    }

    /** True for a record of the nodes the reconciler matched for a policy generation. */
    public static boolean isRollout(AuditRecord record) {
        return ROLLOUT_MATCHED.equals(record.action());
    }

    /**
     * The rollout event a record describes.
     *
     * @throws IllegalArgumentException naming the field that is missing or cannot be read
     */
    public static RolloutEvent toRollout(AuditRecord r) {
        if (!isRollout(r)) {
            throw new IllegalArgumentException("action '" + r.action() + "' is not a rollout");
        }
        return RolloutEvent.newBuilder()
            .setPolicy(required("policy", r.policy()))
            .setUid(r.uid() == null ? "" : r.uid())
            .setGeneration(required("generation", r.generation()))
            .setMatchedNodes(required("matchedNodes", r.matchedNodes()))
            .setMaxUnavailableNodes(required("maxUnavailableNodes", r.maxUnavailableNodes()))
            .setTimestamp(required("timestamp", instant("timestamp", r.timestamp())))
            .build();
    }

    /**
     * The enactment event a record describes, checked against the event contract as the projector checks what it reads:
     * an export is a file anyone can edit, and a rendered state whose digest does not vouch for it must not show.
     *
     * @throws IllegalArgumentException naming the field and value that cannot be read, or the contract's rule broken
     */
    public static EnactmentEvent toEnactment(AuditRecord r) {
        if (r.action() == null || !r.action().startsWith(ENACTMENT_PREFIX)) {
            throw new IllegalArgumentException("action '" + r.action() + "' is not an enactment step");
        }
        EnactmentEvent event = enactment(r);
        try {
            EventContract.checkEnactment(Topics.enactmentKey(event.getNode(), event.getPolicy()), event);
        } catch (ContractViolation e) {
            throw new IllegalArgumentException(e.getMessage() + " (rule " + e.rule().tag() + ")", e);
        }
        return event;
    }

    private static EnactmentEvent enactment(AuditRecord r) {
        EnactmentPhase phase = parseEnum(EnactmentPhase.class, "action", r.action().substring(ENACTMENT_PREFIX.length()));
        return EnactmentEvent.newBuilder()
            .setEventId(r.eventId() == null ? "" : r.eventId())
            .setNode(required("node", r.node()))
            .setPolicy(required("policy", r.policy()))
            .setGeneration(required("generation", r.generation()))
            .setCommandId(r.commandId())
            .setPhase(phase)
            .setReason(r.reason() == null ? "" : r.reason())
            .setMessage(r.message() == null ? "" : r.message())
            .setAttempt(r.attempt() == null ? 0 : r.attempt())
            .setStartedAt(instant("startedAt", r.startedAt()))
            .setFinishedAt(instant("finishedAt", r.finishedAt()))
            .setDurationMillis(r.duration())
            .setDesiredStateDigest(r.desiredStateDigest())
            .setResolvedStateDigest(r.resolvedStateDigest())
            .setResolvedState(r.resolvedState())
            .setErrorDetail(r.errorDetail())
            .setTimestamp(required("timestamp", instant("timestamp", r.timestamp())))
            .build();
    }

    /**
     * The policy event a record describes (without its desired state, which status does not depend on).
     *
     * @throws IllegalArgumentException naming the field and value that cannot be read
     */
    public static PolicyEvent toPolicy(AuditRecord r) {
        if (!isPolicy(r)) {
            throw new IllegalArgumentException("action '" + r.action() + "' is not a policy change");
        }
        PolicyAction action = parseEnum(PolicyAction.class, "action", r.action().substring(POLICY_PREFIX.length()));
        SourceKind kind = r.source() == null ? SourceKind.UNKNOWN : parseEnum(SourceKind.class, "source", r.source());
        return PolicyEvent.newBuilder()
            .setAction(action)
            .setName(required("policy", r.policy()))
            .setUid(r.uid() == null ? "" : r.uid())
            .setGeneration(required("generation", r.generation()))
            .setNodeSelector(Map.of())
            .setDesiredStateDigest(r.desiredStateDigest() == null ? "" : r.desiredStateDigest())
            .setSource(PolicySource.newBuilder().setKind(kind).setOrigin(r.origin() == null ? "" : r.origin()).setUser(r.user()).build())
            .setEventTime(required("timestamp", instant("timestamp", r.timestamp())))
            .build();
    }

    /** One JSON line (no line break). */
    public static String toJson(AuditRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Audit record cannot be written as JSON", e);
        }
    }

    /**
     * Parses one JSON line.
     *
     * @throws IllegalArgumentException when the line is not a JSON audit record
     */
    public static AuditRecord fromJson(String line) {
        try {
            return JSON.readValue(line, AuditRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON audit record: " + e.getOriginalMessage());
        }
    }

    /** A SIEM's reading of the step: a revert that did not succeed is a failure, though the policy is gone all the same. */
    private static String outcome(EnactmentEvent e) {
        return switch (e.getPhase()) {
            case REMOVED -> EventContract.REVERT_FAILED.equals(e.getReason()) ? "failure" : "success";
            case AVAILABLE -> "success";
            case FAILING, RETRYING, ABORTED -> "failure";
            default -> "unknown";
        };
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' has value '" + text + "', which is not an ISO-8601 instant");
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' has unknown value '" + text + "'");
        }
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
