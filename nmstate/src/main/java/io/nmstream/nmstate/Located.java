package io.nmstream.nmstate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of the document being parsed, with its path ({@code interfaces[0].ipv4.address[1].prefix-length}). Its typed
 * reads record a {@link StateProblem} and return null instead of throwing, so that the parser reports every problem at
 * once; each read first lets an nmpolicy template through when the {@link ParseOptions} allow it (returning null: the
 * node resolves it).
 */
final class Located {

    /** A whole-value template: {@code {{ capture.NAME.path }}}. */
    private static final Pattern TEMPLATE = Pattern.compile("\\s*\\{\\{\\s*(.*?)\\s*}}\\s*");
    private static final Pattern CAPTURE_REFERENCE = Pattern.compile("^capture\\.([A-Za-z0-9_-]+)");
    private static final Pattern NUMERIC = Pattern.compile("-?\\d{1,18}");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    private static final int MAX_VALUE_CHARS = 80;
    /** Linux's IFNAMSIZ is 16 including the terminating NUL. */
    static final int MAX_INTERFACE_NAME = 15;

    private final JsonNode node;
    private final String path;
    private final ParseOptions options;
    private final List<StateProblem> problems;

    private Located(JsonNode node, String path, ParseOptions options, List<StateProblem> problems) {
        this.node = node;
        this.path = path;
        this.options = options;
        this.problems = problems;
    }

    /** The document's root, recording problems into {@code problems}. */
    static Located root(JsonNode node, ParseOptions options, List<StateProblem> problems) {
        return new Located(node, "", options, problems);
    }

    static boolean isTemplateText(JsonNode node) {
        return node != null && node.isTextual() && TEMPLATE.matcher(node.asText()).matches();
    }

    JsonNode node() {
        return node;
    }

    String path() {
        return path;
    }

    /** The path of {@code key} under this value. */
    String sub(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The field {@code key} of this object; null when it is absent or null (nmstate reads both as "not given"). */
    Located field(String key) {
        JsonNode child = node.isObject() ? node.get(key) : null;
        return child == null || child.isNull() ? null : new Located(child, sub(key), options, problems);
    }

    boolean has(String key) {
        return field(key) != null;
    }

    /** How many problems the document has so far: a reader compares two counts to know whether a part had any. */
    int problemCount() {
        return problems.size();
    }

    /** Records that this value is not allowed; {@code allowed} says what is. */
    void problem(String allowed) {
        problems.add(new StateProblem(path, render(node), allowed));
    }

    /** Records a problem at {@code where} whose value is already text (a computed sum, a key). */
    void problemAt(String where, String value, String allowed) {
        problems.add(new StateProblem(where, value, allowed));
    }

    /** Records that the required field {@code key} of this object is missing. */
    void missing(String key, String allowed) {
        problems.add(new StateProblem(sub(key), null, allowed));
    }

    /**
     * True when this value is an nmpolicy template. A template is a problem when templates are not allowed, when it does
     * not read a capture, or when it reads a capture the policy does not define.
     */
    boolean isTemplate() {
        if (!isTemplateText(node)) {
            return false;
        }
        if (!options.templates()) {
            problem("an nmpolicy template must be resolved before the state is applied");
            return true;
        }
        Matcher template = TEMPLATE.matcher(node.asText());
        template.matches();
        Matcher reference = CAPTURE_REFERENCE.matcher(template.group(1));
        if (!reference.find()) {
            problem("a template must read a capture: {{ capture.<name>.<path> }}");
        } else if (!options.captureNames().contains(reference.group(1))) {
            problem("capture '" + reference.group(1) + "' is not defined in spec.capture" + (options.captureNames().isEmpty()
                ? " (which is empty)" : " (defined: " + String.join(", ", options.captureNames().stream().sorted().toList()) + ")"));
        }
        return true;
    }

    /**
     * True when this value is an object to read: records a problem when it is not one, and one per field that is neither
     * in {@code known} nor in {@code refused} (with the nearest known key) or that is in {@code refused} (with its reason).
     *
     * @param what the block, with its article, for messages ("an interface")
     * @param refused fields nmstate knows that nmstream does not apply, with the reason
     */
    boolean block(String what, List<String> known, Map<String, String> refused) {
        if (isTemplate()) {
            return false;
        }
        if (!node.isObject()) {
            problem("must be a mapping");
            return false;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (refused.containsKey(name)) {
                problemAt(sub(name), quote(name), refused.get(name));
            } else if (!known.contains(name)) {
                problemAt(sub(name), quote(name), KeySuggestions.unknownKey(name, what, known));
            }
        }
        return true;
    }

    /** The elements of this list; null (with a problem unless it is a template) when it is not a list. */
    List<Located> list() {
        if (isTemplate()) {
            return null;
        }
        if (!node.isArray()) {
            problem("must be a list");
            return null;
        }
        List<Located> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new Located(node.get(i), path + "[" + i + "]", options, problems));
        }
        return out;
    }

    /** Text, possibly empty. */
    String text() {
        if (isTemplate()) {
            return null;
        }
        if (!node.isTextual()) {
            problem("must be text");
            return null;
        }
        return node.asText();
    }

    Boolean bool() {
        if (isTemplate()) {
            return null;
        }
        if (!node.isBoolean()) {
            problem("must be true or false");
            return null;
        }
        return node.booleanValue();
    }

    /** An integer from {@code min} to {@code max}, written as a number or as numeric text (as nmstate accepts). */
    Long integer(long min, long max) {
        if (isTemplate()) {
            return null;
        }
        Long value = null;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.asLong();
        } else if (node.isTextual() && NUMERIC.matcher(node.asText().trim()).matches()) {
            value = Long.parseLong(node.asText().trim());
        }
        if (value == null || value < min || value > max) {
            problem("must be an integer from " + min + " to " + max);
            return null;
        }
        return value;
    }

    Integer intValue(int min, int max) {
        Long value = integer(min, max);
        return value == null ? null : value.intValue();
    }

    /** Text that is one of {@code allowed}. */
    String oneOf(Collection<String> allowed) {
        if (isTemplate()) {
            return null;
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            problem("must be one of " + String.join(", ", allowed));
            return null;
        }
        return node.asText();
    }

    /** A Linux interface name: 1 to 15 characters, no '/', ':' or whitespace, not "." or "..". */
    String interfaceName() {
        if (isTemplate()) {
            return null;
        }
        String name = node.isTextual() ? node.asText() : null;
        if (name == null || !isInterfaceName(name)) {
            problem("must be an interface name: 1 to " + MAX_INTERFACE_NAME + " characters without '/', ':' or whitespace");
            return null;
        }
        return name;
    }

    static boolean isInterfaceName(String name) {
        return !name.isEmpty() && name.length() <= MAX_INTERFACE_NAME && !name.equals(".") && !name.equals("..")
            && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /** A MAC address, returned upper case. */
    String macAddress() {
        if (isTemplate()) {
            return null;
        }
        if (!node.isTextual() || !MAC.matcher(node.asText()).matches()) {
            problem("must be a MAC address such as 52:54:00:12:34:56");
            return null;
        }
        return node.asText().toUpperCase(Locale.ROOT);
    }

    /**
     * An IP address in canonical text.
     *
     * @param ipv6 the family required: true for IPv6, false for IPv4, null for either
     */
    String ipAddress(Boolean ipv6) {
        if (isTemplate()) {
            return null;
        }
        String address = node.isTextual() ? IpAddress.parseLiteral(node.asText()).orElse(null) : null;
        if (address == null || ipv6 != null && IpAddress.isIpv6(address) != ipv6) {
            problem(ipv6 == null ? "must be an IPv4 or IPv6 address" : "must be an " + (ipv6 ? "IPv6" : "IPv4") + " address");
            return null;
        }
        return address;
    }

    /** The value as the user wrote it: strings quoted, everything else as JSON, long values shortened. */
    static String render(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        String text = value.isTextual() ? quote(value.asText()) : value.toString();
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
    }

    static String quote(String text) {
        return "\"" + text + "\"";
    }
}
