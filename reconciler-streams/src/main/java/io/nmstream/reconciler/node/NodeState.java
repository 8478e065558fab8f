package io.nmstream.reconciler.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the reconciler keeps about one node: its labels, the policies it matches and how far it is with each,
 * its command in flight, and the reverts it still owes. Stored in the node-partitioned store, so each task holds only
 * its own nodes.
 *
 * <p>Memory per node: its labels, one small {@link HeldPolicy} per matching policy (about 100 bytes), at most one
 * {@link CommandInFlight}, and the desired states of reverts not yet run (only after deletes with revertOnDelete).
 */
public final class NodeState {

    private Map<String, String> labels = new TreeMap<>();
    private TreeMap<String, HeldPolicy> held = new TreeMap<>();
    private CommandInFlight inFlight;
    private List<PendingRevert> reverts = new ArrayList<>();
    /** The node left the inventory; it is kept, holding nothing, so that its late results are told from a stranger's. */
    private boolean left;
    /**
     * The node's public keys: its first signed registration's, then any an operator added. Kept when the node leaves,
     * so that nobody else can come back under its name.
     */
    private List<String> publicKeys = new ArrayList<>();

    /** What is kept of a node that left the inventory: its name is known, it holds and matches nothing. */
    static NodeState departed() {
        NodeState state = new NodeState();
        state.left = true;
        return state;
    }

    /** What is kept of this node once it left: its name and keys, nothing held. */
    NodeState leaving() {
        NodeState state = departed();
        state.publicKeys = new ArrayList<>(publicKeys);
        return state;
    }

    /** The keys the node signs with; empty for a node that never registered with one. */
    public List<String> publicKeys() {
        return publicKeys;
    }

    void addPublicKey(String key) {
        if (!publicKeys.contains(key)) {
            publicKeys.add(key);
        }
    }

    /** The node as it comes back after it left: nothing held, its keys kept. */
    NodeState rejoined() {
        NodeState state = new NodeState();
        state.publicKeys = new ArrayList<>(publicKeys);
        return state;
    }

    /** Whether the node left the inventory (and has not come back). */
    public boolean left() {
        return left;
    }

    public Map<String, String> labels() {
        return labels;
    }

    void labels(Map<String, String> newLabels) {
        labels = new TreeMap<>(newLabels);
    }

    /** Held policies by name. */
    public Map<String, HeldPolicy> held() {
        return held;
    }

    /** Policy names in delivery order: priority, then name. */
    List<String> deliveryOrder() {
        List<String> names = new ArrayList<>(held.keySet());
        names.sort(Comparator.<String>comparingInt(name -> held.get(name).priority()).thenComparing(Comparator.naturalOrder()));
        return names;
    }

    /** The running command, or null when the node is idle. */
    public CommandInFlight inFlight() {
        return inFlight;
    }

    void inFlight(CommandInFlight command) {
        inFlight = command;
    }

    public List<PendingRevert> reverts() {
        return reverts;
    }
}
