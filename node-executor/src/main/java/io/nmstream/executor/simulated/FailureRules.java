package io.nmstream.executor.simulated;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a simulated host misbehaves, so that fleet simulations see the failures real fleets see.
 *
 * @param maxMtu per interface, the largest MTU its "driver" accepts
 * @param missingInterfaces interfaces the host lacks, although policies may name them
 */
public record FailureRules(Map<String, Integer> maxMtu, Set<String> missingInterfaces) {

    public FailureRules {
        maxMtu = Map.copyOf(maxMtu);
        missingInterfaces = Set.copyOf(missingInterfaces);
    }

    public static FailureRules none() {
        return new FailureRules(Map.of(), Set.of());
    }

    public FailureRules withMaxMtu(String iface, int mtu) {
        Map<String, Integer> copy = new HashMap<>(maxMtu);
        copy.put(iface, mtu);
        return new FailureRules(copy, missingInterfaces);
    }

    public FailureRules withMissingInterface(String iface) {
        Set<String> copy = new HashSet<>(missingInterfaces);
        copy.add(iface);
        return new FailureRules(maxMtu, copy);
    }
}
