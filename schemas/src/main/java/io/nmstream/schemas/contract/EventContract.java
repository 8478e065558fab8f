package io.nmstream.schemas.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.EnactmentPhase;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeIdentity;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyAction;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import io.nmstream.schemas.identity.NodeSignatures;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * The event contract every reader checks a decoded record against before acting on it, so that what one reader
 * refuses (the reconciler) no other reader shows (status, audit, replay, ingest's planner, the node agent).
 *
 * <p>Each check throws a {@link ContractViolation} naming the record, the field and the value; tombstones (null
 * values) pass, as each topic gives them their own meaning. The rules:
 * <ul>
 *   <li>the key is the name the event carries ({@code <node>.<policy>} for enactments);</li>
 *   <li>policy and command generations are 1 or more;</li>
 *   <li>a policy upsert's and a command's {@code desiredStateDigest} is {@link Digests#sha256Hex} of its
 *       {@code desiredState}, and an enactment's {@code resolvedStateDigest} that of its {@code resolvedState}, which is
 *       a JSON object;</li>
 *   <li>actions, phases and command kinds are known ({@code UNKNOWN} is what a newer writer's symbol reads as);</li>
 *   <li>a policy upsert's {@code maxUnavailable} is a positive number or a percentage from 1% to 100%;</li>
 *   <li>an enactment or a node state is about a known node: one the nodes topic holds a valid record of (a node that
 *       left stays known; its removal record says so).</li>
 * </ul>
 */
public final class EventContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventContract() {
    }

    /** Checks a record of the policies topic. */
    public static void checkPolicy(String key, PolicyEvent event) {
        requireKey("Policy", key, "policy name");
        if (event == null) {
            return;
        }
        if (event.getAction() != PolicyAction.UPSERT && event.getAction() != PolicyAction.DELETE) {
            throw new ContractViolation(Rule.ACTION, "Policy '" + key + "': field action has value '" + event.getAction()
                + "'; expected UPSERT or DELETE");
        }
        requireKeyIsName("Policy", key, event.getName());
        if (event.getGeneration() < 1) {
            throw new ContractViolation(Rule.GENERATION, "Policy '" + key + "': field generation has value '" + event.getGeneration()
                + "'; expected 1 or more");
        }
        if (event.getAction() == PolicyAction.UPSERT) {
            requireDigest("Policy '" + key + "'", event.getDesiredState(), event.getDesiredStateDigest());
            checkMaxUnavailable(key, event.getMaxUnavailable());
        }
    }

    /**
     * Checks that {@code next} may follow {@code previous} (null when none was read) for the same policy: generations
     * never go down. An equal generation is the same event read again.
     */
    public static void checkPolicySuccessor(PolicyEvent previous, PolicyEvent next) {
        if (previous != null && next != null && next.getGeneration() < previous.getGeneration()) {
            throw new ContractViolation(Rule.GENERATION, "Policy '" + next.getName() + "': field generation has value '"
                + next.getGeneration() + "'; expected " + previous.getGeneration() + " or more (generations never go down)");
        }
    }

    /**
     * Checks the text of a policy's {@code maxUnavailable}: a positive whole number ({@code "3"}) or a percentage from
     * 1% to 100% ({@code "10%"}).
     */
    public static void checkMaxUnavailable(String policy, String text) {
        String t = text == null ? "" : text.trim();
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1).trim() : t;
        int amount;
        try {
            amount = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            amount = -1;
        }
        if (amount < 1 || (percent && amount > 100)) {
            throw new ContractViolation(Rule.MAX_UNAVAILABLE, "Policy '" + policy + "': field maxUnavailable has value '" + text
                + "'; expected a positive whole number (\"3\") or a percentage from 1% to 100% (\"10%\")");
        }
    }

    /** Checks a record of the nodes topic. */
    public static void checkNode(String key, NodeEvent event) {
        requireKey("Node", key, "node name");
        if (event != null) {
            requireKeyIsName("Node", key, event.getName());
        }
    }

    /** Checks a record of the node-states topic. */
    public static void checkNodeState(String key, NodeNetworkState state) {
        requireKey("Node state", key, "node name");
        if (state != null && !key.equals(state.getNode())) {
            throw new ContractViolation(Rule.KEY, "Node state event keyed '" + key + "': field node has value '" + state.getNode()
                + "'; it must equal the key");
        }
    }

    /**
     * Checks a record of the enactments topic: its key is {@code <node>.<policy>} of its fields, its phase known, and a
     * resolved state has the digest the event carries.
     */
    public static void checkEnactment(String key, EnactmentEvent event) {
        requireKey("Enactment", key, "<node>.<policy>");
        if (event == null) {
            return;
        }
        String expected = Topics.enactmentKey(event.getNode(), event.getPolicy());
        if (!key.equals(expected)) {
            throw new ContractViolation(Rule.KEY, "Enactment event keyed '" + key + "': fields node and policy make '" + expected
                + "'; it must equal the key");
        }
        if (event.getPhase() == null || event.getPhase() == EnactmentPhase.UNKNOWN) {
            throw new ContractViolation(Rule.ACTION, "Enactment '" + key + "': field phase has value '" + event.getPhase()
                + "'; expected a known phase");
        }
        // the signature covers the digest, not the state: a state without its digest is one nobody vouches for
        String resolvedDigest = event.getResolvedState() == null ? null : Digests.sha256Hex(event.getResolvedState());
        if (resolvedDigest != null && !resolvedDigest.equals(event.getResolvedStateDigest())) {
            throw new ContractViolation(Rule.DIGEST, "Enactment '" + key + "': field resolvedState has SHA-256 '" + resolvedDigest
                + "'; it must equal field resolvedStateDigest, '" + event.getResolvedStateDigest() + "'");
        }
        // vouched for but unusable: an NNCE's status.desiredState holds an nmstate state, and a reader must not drop it unseen
        if (resolvedDigest != null && !isJsonObject(event.getResolvedState())) {
            throw new ContractViolation(Rule.STATE, "Enactment '" + key + "': field resolvedState has value '"
                + abbreviate(event.getResolvedState()) + "'; expected an nmstate state, a JSON object");
        }
    }

    private static boolean isJsonObject(CharSequence text) {
        try {
            JsonNode state = JSON.readTree(text.toString());
            return state != null && state.isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** {@code text} as a message shows it: its first 80 characters. */
    private static String abbreviate(CharSequence text) {
        return text.length() <= 80 ? text.toString() : text.subSequence(0, 80) + "...";
    }

    /**
     * Checks that the node a record is about is known: {@code known} tells whether the inventory holds the name. Every
     * command is sent to a node the reconciler read from the inventory, so every genuine result is about a known node; a
     * record about any other name was written by something that is not one of the fleet's nodes.
     *
     * @param kind what the record is, e.g. {@code "Enactment"}
     */
    public static void checkKnownNode(String kind, String key, String node, Predicate<String> known) {
        if (!known.test(node)) {
            throw new ContractViolation(Rule.NODE, kind + " '" + key + "': field node has value '" + node
                + "'; no node of that name is in the inventory (the nodes topic)");
        }
    }

    /**
     * Checks a registration against the keys its node already has (none for a node never registered with one): a node
     * with keys must sign its registration with one of them; a registration that introduces a key must be signed by it
     * (whoever sends it holds the private half). A tombstone needs no signature.
     *
     * @return the key the registration introduces (the node's first), or null
     */
    public static String checkRegistrationSigned(String key, NodeEvent event, Collection<String> nodeKeys) {
        if (event == null) {
            return null;
        }
        if (!nodeKeys.isEmpty()) {
            if (!NodeSignatures.verifies(event, nodeKeys)) {
                throw new ContractViolation(Rule.SIGNATURE, "Node '" + key + "': field signature has value '" + event.getSignature()
                    + "'; the node registered with a key, and this registration is not signed with it (a new key needs an "
                    + "operator's re-key: nmstream node rekey)");
            }
            return null;
        }
        String introduced = introducedKey(event, nodeKeys);
        if (introduced != null && !NodeSignatures.selfSigned(event)) {
            throw new ContractViolation(Rule.SIGNATURE, "Node '" + key + "': field publicKey has value '" + introduced
                + "'; the registration is not signed with that key");
        }
        return introduced;
    }

    /**
     * The key a registration introduces, whether or not its signature was checked yet: its public key when its node has
     * none so far (a node's first key), otherwise none. {@link #checkRegistrationSigned} checks that it is signed by it.
     */
    public static String introducedKey(NodeEvent event, Collection<String> nodeKeys) {
        return event != null && nodeKeys.isEmpty() && event.getPublicKey() != null ? event.getPublicKey().toString() : null;
    }

    /** Checks an operator's re-key: keyed by its node, with a public key that is 32 bytes in base64. */
    public static void checkIdentity(String key, NodeIdentity identity) {
        requireKey("Node identity", key, "node name");
        if (identity == null) {
            throw new ContractViolation(Rule.KEY, "Node identity '" + key + "': a re-key cannot be deleted (a tombstone); "
                + "a key once added stays valid");
        }
        if (!key.equals(identity.getNode().toString())) {
            throw new ContractViolation(Rule.KEY, "Node identity '" + key + "': field node has value '" + identity.getNode()
                + "'; the record key must be the node name");
        }
        if (!NodeSignatures.isPublicKey(identity.getPublicKey().toString())) {
            throw new ContractViolation(Rule.SIGNATURE, "Node identity '" + key + "': field publicKey has value '"
                + identity.getPublicKey() + "'; an Ed25519 public key is 32 bytes in base64 (what 'nmstream node key' prints)");
        }
    }

    /** FAILING written by the reconciler: a command passed its deadline without a result. No node writes it. */
    public static final String TIMEOUT = "Timeout";
    /** REMOVED written by the reconciler: the policy was deleted and the node reverted what it had applied. */
    public static final String REVERTED = "Reverted";
    /** REMOVED written by the reconciler: the policy was deleted, but the node's revert failed or timed out. */
    public static final String REVERT_FAILED = "RevertFailed";

    /**
     * Whether only the node itself may write {@code event}: what it did (PROGRESSING, RETRYING, AVAILABLE), how a
     * command of its failed, or what it skipped or removed in answer to a command. The reconciler's own steps (pending,
     * aborted rollouts, time-outs, removals it decided) carry no node signature.
     */
    public static boolean isNodeReport(EnactmentEvent event) {
        return switch (event.getPhase()) {
            case PROGRESSING, RETRYING, AVAILABLE -> true;
            case FAILING -> !TIMEOUT.equals(event.getReason().toString());
            case ABORTED -> event.getCommandId() != null;
            case REMOVED -> event.getCommandId() != null && !REVERTED.equals(event.getReason().toString())
                && !REVERT_FAILED.equals(event.getReason().toString());
            default -> false;
        };
    }

    /**
     * Checks that a record about a node came from it: a node that registered with a key signs everything about itself,
     * and {@code signedByNode} says whether this record's signature verifies against one of its keys. A node without a
     * key (registered by the Kubernetes node watch, or by an agent older than node keys) is taken at its word.
     */
    public static void checkSignedByNode(String kind, String key, String node, Collection<String> nodeKeys, boolean signedByNode) {
        if (!nodeKeys.isEmpty() && !signedByNode) {
            throw new ContractViolation(Rule.SIGNATURE, kind + " '" + key + "': field signature does not verify against the key of node '"
                + node + "'; only the node itself can write what happened to it");
        }
    }

    /** Checks a record of the rollouts topic: keyed by its policy, with a generation. */
    public static void checkRollout(String key, RolloutEvent event) {
        requireKey("Rollout", key, "policy name");
        if (event == null) {
            return;
        }
        if (!key.equals(event.getPolicy())) {
            throw new ContractViolation(Rule.KEY, "Rollout event keyed '" + key + "': field policy has value '" + event.getPolicy()
                + "'; it must equal the key");
        }
        if (event.getGeneration() < 1) {
            throw new ContractViolation(Rule.GENERATION, "Rollout of policy '" + key + "': field generation has value '"
                + event.getGeneration() + "'; expected 1 or more");
        }
    }

    /** Checks a record of the commands topic: keyed by its node, a known kind, a generation and a matching digest. */
    public static void checkCommand(String key, DesiredStateCommand command) {
        requireKey("Command", key, "node name");
        if (command == null) {
            return;
        }
        if (!key.equals(command.getNode())) {
            throw new ContractViolation(Rule.KEY, "Command keyed '" + key + "': field node has value '" + command.getNode()
                + "'; it must equal the key");
        }
        if (command.getKind() != CommandKind.APPLY && command.getKind() != CommandKind.REVERT) {
            throw new ContractViolation(Rule.ACTION, "Command " + command.getCommandId() + ": field kind has value '" + command.getKind()
                + "'; expected APPLY or REVERT");
        }
        if (command.getGeneration() < 1) {
            throw new ContractViolation(Rule.GENERATION, "Command " + command.getCommandId() + ": field generation has value '"
                + command.getGeneration() + "'; expected 1 or more");
        }
        requireDigest("Command " + command.getCommandId(), command.getDesiredState(), command.getDesiredStateDigest());
    }

    private static void requireKey(String kind, String key, String what) {
        if (key == null || key.isBlank()) {
            throw new ContractViolation(Rule.KEY, kind + " event without a key: the key must be the " + what);
        }
    }

    private static void requireKeyIsName(String kind, String key, String name) {
        if (!key.equals(name)) {
            throw new ContractViolation(Rule.KEY, kind + " event keyed '" + key + "': field name has value '" + name
                + "'; it must equal the key");
        }
    }

    private static void requireDigest(String what, String desiredState, String digest) {
        String actual = Digests.sha256Hex(desiredState == null ? "" : desiredState);
        if (!actual.equals(digest)) {
            throw new ContractViolation(Rule.DIGEST, what + ": field desiredStateDigest has value '" + digest
                + "'; the SHA-256 of its desiredState is '" + actual + "'");
        }
    }
}
