package io.nmstream.executor.simulated;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How a simulated host misbehaves, so that fleet simulations see the failures real fleets see.
 *
 * @param maxMtu per interface, the largest MTU its "driver" accepts
 * @param maxMtuEverywhere the largest MTU any interface accepts; 0 for no such limit
 * @param missingInterfaces interfaces the host lacks, although policies may name them
 */
public record FailureRules(Map<String, Integer> maxMtu, int maxMtuEverywhere, Set<String> missingInterfaces) {

    public FailureRules {
        maxMtu = Map.copyOf(maxMtu);
        missingInterfaces = Set.copyOf(missingInterfaces);
    }

    public FailureRules(Map<String, Integer> maxMtu, Set<String> missingInterfaces) {
        this(maxMtu, 0, missingInterfaces);
    }

    public static FailureRules none() {
        return new FailureRules(Map.of(), Set.of());
    }

    /** The largest MTU {@code iface}'s driver accepts, if it has a limit. */
    public OptionalInt mtuLimit(String iface) {
        Integer limit = maxMtu.get(iface);
        if (limit != null) {
            return OptionalInt.of(limit);
        }
        return maxMtuEverywhere > 0 ? OptionalInt.of(maxMtuEverywhere) : OptionalInt.empty();
    }

    /** Rules under which every interface's driver refuses MTUs above {@code mtu}. */
    public FailureRules withMaxMtuOnEveryInterface(int mtu) {
        return new FailureRules(maxMtu, mtu, missingInterfaces);
    }

    public FailureRules withMaxMtu(String iface, int mtu) {
        Map<String, Integer> copy = new HashMap<>(maxMtu);
        copy.put(iface, mtu);
        return new FailureRules(copy, maxMtuEverywhere, missingInterfaces);
    }

    public FailureRules withMissingInterface(String iface) {
        Set<String> copy = new HashSet<>(missingInterfaces);
        copy.add(iface);
        return new FailureRules(maxMtu, maxMtuEverywhere, copy);
    }
}
