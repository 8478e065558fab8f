package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small typed checks every part of the desiredState validation repeats (integers in a range, booleans, one of a set,
 * interface names), each recording a located problem instead of throwing, and each letting nmpolicy templates
 * ({@code "{{ capture.eth0.interfaces.0.ipv4.address }}"}) through, as those are resolved on the node.
 */
final class Checks {

    /** Linux's IFNAMSIZ is 16 including the terminating NUL. */
    static final int MAX_INTERFACE_NAME = 15;

    private static final Pattern TEMPLATE = Pattern.compile("\\s*\\{\\{\\s*(.*?)\\s*}}\\s*");
    private static final Pattern CAPTURE_REFERENCE = Pattern.compile("^capture\\.([A-Za-z0-9_-]+)");
    private static final Pattern NUMERIC = Pattern.compile("-?\\d{1,19}");

    private final Problems problems;
    private final Set<String> captureNames;

    Checks(Problems problems, Set<String> captureNames) {
        this.problems = problems;
        this.captureNames = captureNames;
    }

    Problems problems() {
        return problems;
    }

    /**
     * True when {@code node} is an nmpolicy template, which is left to the node to resolve; a template naming a capture
     * that {@code spec.capture} does not define is recorded as a problem.
     */
    boolean isTemplate(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            return false;
        }
        Matcher template = TEMPLATE.matcher(node.asText());
        if (!template.matches()) {
            return false;
        }
        Matcher reference = CAPTURE_REFERENCE.matcher(template.group(1));
        if (!reference.find()) {
            problems.add(path, node, "a template must read a capture: {{ capture.<name>.<path> }}");
        } else if (!captureNames.contains(reference.group(1))) {
            problems.add(path, node, "capture '" + reference.group(1) + "' is not defined in spec.capture"
                + (captureNames.isEmpty() ? " (which is empty)" : " (defined: " + String.join(", ", captureNames) + ")"));
        }
        return true;
    }

    /** Records every field of {@code object} not in {@code known}. */
    void knownFields(JsonNode object, String path, Collection<String> known, String what) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.addText(Problems.field(path, name), "\"" + name + "\"", "unknown field of " + what + "; known fields: "
                    + String.join(", ", known));
            }
        }
    }

    /** True when {@code node} is an object; otherwise records a problem (templates are let through and return false). */
    boolean object(JsonNode node, String path) {
        if (node.isObject()) {
            return true;
        }
        if (!isTemplate(node, path)) {
            problems.add(path, node, "must be a mapping");
        }
        return false;
    }

    /** True when {@code node} is a list; otherwise records a problem (templates are let through and return false). */
    boolean list(JsonNode node, String path) {
        if (node.isArray()) {
            return true;
        }
        if (!isTemplate(node, path)) {
            problems.add(path, node, "must be a list");
        }
        return false;
    }

    /** An integer (or numeric text, as nmstate accepts for templating tools) from {@code min} to {@code max}. */
    Optional<Long> integer(JsonNode node, String path, long min, long max) {
        if (isTemplate(node, path)) {
            return Optional.empty();
        }
        Long value = null;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isTextual() && NUMERIC.matcher(node.asText().trim()).matches()) {
            value = Long.parseLong(node.asText().trim());
        }
        if (value == null || value < min || value > max) {
            problems.add(path, node, "must be an integer from " + min + " to " + max);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A boolean. */
    Optional<Boolean> bool(JsonNode node, String path) {
        if (isTemplate(node, path)) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            problems.add(path, node, "must be true or false");
            return Optional.empty();
        }
        return Optional.of(node.asBoolean());
    }

    /** Non-empty text. */
    Optional<String> text(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            problems.add(path, node, "must be non-empty text");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /** Text that is one of {@code allowed}. */
    Optional<String> oneOf(JsonNode node, String path, Collection<String> allowed) {
        if (isTemplate(node, path)) {
            return Optional.empty();
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            problems.add(path, node, "must be one of " + String.join(", ", allowed));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /** A Linux interface name: 1 to 15 characters, no '/', ':' or whitespace, not "." or "..". */
    Optional<String> interfaceName(JsonNode node, String path) {
        if (isTemplate(node, path)) {
            return Optional.empty();
        }
        String name = node.isTextual() ? node.asText() : null;
        if (name == null || !isInterfaceName(name)) {
            problems.add(path, node, "must be an interface name: 1 to " + MAX_INTERFACE_NAME
                + " characters without '/', ':' or whitespace");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    static boolean isInterfaceName(String name) {
        return !name.isEmpty() && name.length() <= MAX_INTERFACE_NAME && !name.equals(".") && !name.equals("..")
            && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }
}
