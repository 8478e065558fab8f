package io.nmstream.executor.simulated;

import java.util.Map;
import java.util.Objects;

/**
 * One node of a simulated fleet: its name, the labels it registers with, and how its host misbehaves.
 */
public record SimulatedNode(String name, Map<String, String> labels, FailureRules rules) {

    public SimulatedNode {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(rules, "rules");
    }
}
