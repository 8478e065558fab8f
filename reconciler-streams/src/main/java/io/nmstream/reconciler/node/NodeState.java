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

    /** What is kept of a node that left the inventory: its name is known, it holds and matches nothing. */
    static NodeState departed() {
        NodeState state = new NodeState();
        state.left = true;
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
