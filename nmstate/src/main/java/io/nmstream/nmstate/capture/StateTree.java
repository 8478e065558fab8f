package io.nmstream.nmstate.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * nmpolicy's three operations on an nmstate tree, with nmpolicy's semantics (its resolver's filter, replace and walk
 * visitors): a path's steps name map fields and list indices, and a list met by a field step is crossed without a step
 * of its own, its entries being read at that same field.
 *
 * <ul>
 *   <li>{@link #filter}: keeps the part of the tree on the path. Along the path only the field followed is kept; in the
 *   first list crossed, only the entries whose value at the path matches are kept (whole); lists nested in a kept entry
 *   are kept whole. A path without a value keeps what lies under the path.
 *   <li>{@link #replace}: the whole tree, with the field at the path set to the value in every entry of the lists
 *   crossed (missing maps on the way are created).
 *   <li>{@link #walk}: the value at a path whose every step exists (used for references and templates).
 * </ul>
 *
 * <p>Trees are never modified; results share unchanged subtrees with their input.
 */
final class StateTree {

    /**
     * A path that cannot be followed in the tree. The message speaks of the value at the first {@code step} steps of the
     * path (the whole state when 0): "interfaces is a list: ...".
     */
    static final class PathException extends Exception {
        private final int step;

        PathException(int step, String message) {
            super(message);
            this.step = step;
        }

        int step() {
            return step;
        }
    }

    /** How a filter compares the value found with the value given; may throw when they cannot be compared. */
    interface Comparison {
        boolean matches(JsonNode found, JsonNode wanted, int step) throws PathException;
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateTree() {
    }

    /**
     * Filters {@code tree} at {@code path}.
     *
     * @param wanted the value compared with; null keeps whatever lies under the path
     * @return the filtered tree, or null when nothing matched
     */
    static JsonNode filter(JsonNode tree, List<String> path, Comparison comparison, JsonNode wanted) throws PathException {
        return filter(tree, path, 0, false, comparison, wanted);
    }

    private static JsonNode filter(JsonNode node, List<String> path, int step, boolean keepSiblings, Comparison comparison,
                                   JsonNode wanted) throws PathException {
        boolean last = step == path.size() - 1;
        String field = path.get(step);
        if (node.isObject()) {
            requireField(path, step);
            JsonNode value = node.get(field);
            if (value == null) {
                return null;
            }
            if (last) {
                if (wanted == null) {
                    return NODES.objectNode().set(field, value);
                }
                return comparison.matches(value, wanted, step) ? node : null;
            }
            JsonNode filtered = filter(value, path, step + 1, keepSiblings, comparison, wanted);
            if (filtered == null) {
                return null;
            }
            ObjectNode out = keepSiblings ? ((ObjectNode) node).deepCopy() : NODES.objectNode();
            out.set(field, filtered);
            return out;
        }
        if (node.isArray()) {
            if (isIndex(field)) {
                throw new PathException(step, "is a list: filter on a field of its entries, not on the index " + field);
            }
            ArrayNode out = NODES.arrayNode();
            boolean matched = false;
            for (JsonNode entry : node) {
                // only the first list crossed is filtered: entries of lists inside a kept entry are all kept
                JsonNode filtered = filter(entry, path, step, true, comparison, wanted);
                if (filtered != null) {
                    matched = true;
                    out.add(filtered);
                } else if (keepSiblings) {
                    out.add(entry);
                }
            }
            return matched ? out : null;
        }
        throw noField(node, path, step);
    }

    /** {@code tree} with the field at {@code path} set to {@code value} (in every entry of the lists crossed). */
    static JsonNode replace(JsonNode tree, List<String> path, JsonNode value) throws PathException {
        return replace(tree, path, 0, value);
    }

    private static JsonNode replace(JsonNode node, List<String> path, int step, JsonNode value) throws PathException {
        boolean last = step == path.size() - 1;
        String field = path.get(step);
        if (node.isObject()) {
            requireField(path, step);
            ObjectNode out = ((ObjectNode) node).deepCopy();
            if (last) {
                out.set(field, value.deepCopy());
            } else {
                JsonNode child = node.get(field);
                out.set(field, replace(child == null ? NODES.objectNode() : child, path, step + 1, value));
            }
            return out;
        }
        if (node.isArray()) {
            if (isIndex(field)) {
                throw new PathException(step, "is a list: replace a field of its entries, not the index " + field);
            }
            ArrayNode out = NODES.arrayNode();
            for (JsonNode entry : node) {
                out.add(replace(entry, path, step, value));
            }
            return out;
        }
        throw noField(node, path, step);
    }

    /** The value at {@code path}; every step must exist. */
    static JsonNode walk(JsonNode tree, List<String> path) throws PathException {
        JsonNode node = tree;
        for (int step = 0; step < path.size(); step++) {
            String field = path.get(step);
            if (node.isObject()) {
                node = node.get(field);
                if (node == null) {
                    throw new PathException(step, "has no field '" + field + "'");
                }
            } else if (node.isArray()) {
                if (!isIndex(field)) {
                    throw new PathException(step, "is a list: expected an index, not '" + field + "'");
                }
                int index = Integer.parseInt(field);
                if (index >= node.size()) {
                    throw new PathException(step, "has no entry " + index + " (the list has " + node.size() + ")");
                }
                node = node.get(index);
            } else {
                throw noField(node, path, step);
            }
        }
        return node;
    }

    private static void requireField(List<String> path, int step) throws PathException {
        if (isIndex(path.get(step))) {
            throw new PathException(step, "is a map: expected a field name, not the index " + path.get(step));
        }
    }

    private static PathException noField(JsonNode node, List<String> path, int step) {
        return new PathException(step, "is " + describe(node) + ", which has no '" + path.get(step) + "'");
    }

    private static boolean isIndex(String step) {
        return !step.isEmpty() && step.chars().allMatch(Character::isDigit) && step.length() < 10;
    }

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "the string \"" + node.asText() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return "the boolean " + node.asText();
        }
        return "null";
    }
}
