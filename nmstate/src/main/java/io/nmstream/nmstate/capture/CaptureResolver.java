package io.nmstream.nmstate.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a policy's {@code spec.capture} on one host, as kubernetes-nmstate's handler does with nmpolicy: each capture
 * expression is evaluated against the host's current state (or against the captures it reads, which are resolved
 * first), then every whole-value template {@code "{{ capture.<name>.<path> }}"} of the desired state is replaced by what
 * lies at that path of the capture.
 *
 * <p>Stricter than nmpolicy where nmpolicy would let an empty result through: a capture that matches nothing, and a
 * template path that its capture does not hold, fail with a {@link CaptureException} naming the capture, its
 * expression and what was empty, so that nothing is applied from a half-resolved state.
 */
public final class CaptureResolver {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern TEMPLATE = Pattern.compile("^\\{\\{\\s*(.*?)\\s*}}$");

    private final Map<String, String> expressions;
    private final JsonNode current;
    private final Map<String, JsonNode> captured = new LinkedHashMap<>();
    private final Set<String> resolving = new LinkedHashSet<>();
    /** What a template reading an unknown capture is told: that the policy does not define it, or that states captured before lack it. */
    private final String undefined;

    /** A resolver that evaluates {@code expressions} against {@code current}. */
    private CaptureResolver(Map<String, String> expressions, JsonNode current) {
        this.expressions = expressions;
        this.current = current;
        this.undefined = "which the policy does not define";
    }

    /** A resolver that evaluates nothing: its captures are the states captured before. */
    private CaptureResolver(Map<String, JsonNode> capturedBefore) {
        this.expressions = Map.of();
        this.current = null;
        this.captured.putAll(capturedBefore);
        this.undefined = "which the captured states do not hold";
    }

    /**
     * The desired state of a policy with captures, resolved on a host: {@code desiredState} with every template replaced.
     *
     * @param capture the policy's capture expressions by capture name
     * @param desiredState the policy's desired state, templates included; not modified
     * @param current the host's current state
     */
    public static JsonNode resolve(Map<String, String> capture, JsonNode desiredState, NetworkState current) throws CaptureException {
        return resolve(capture, desiredState, stateTree(current));
    }

    /** Like {@link #resolve(Map, JsonNode, NetworkState)}, with the current state already as a tree. */
    public static JsonNode resolve(Map<String, String> capture, JsonNode desiredState, JsonNode current) throws CaptureException {
        CaptureResolver resolver = new CaptureResolver(capture, current);
        // every capture is resolved, as nmpolicy does, so one that matches nothing fails even when no template reads it
        resolver.captureAll();
        return resolver.expand(desiredState, "");
    }

    /** Every capture of {@code capture} resolved against {@code current}, by name, in the order they were resolved. */
    public static Map<String, JsonNode> captures(Map<String, String> capture, JsonNode current) throws CaptureException {
        CaptureResolver resolver = new CaptureResolver(capture, current);
        resolver.captureAll();
        return Collections.unmodifiableMap(new LinkedHashMap<>(resolver.captured));
    }

    /**
     * {@code desiredState} with every template filled from states captured before, as {@code nmstatectl policy
     * --captured} fills it: no capture expression is evaluated.
     *
     * @param captured captured states by capture name, as {@link #captures} returns them
     */
    public static JsonNode expand(JsonNode desiredState, Map<String, JsonNode> captured) throws CaptureException {
        return new CaptureResolver(captured).expand(desiredState, "");
    }

    /**
     * The current state as the tree capture expressions read, as {@code nmstatectl show} prints it: interfaces,
     * {@code routes.running} and {@code routes.config}, {@code dns-resolver.running} and {@code dns-resolver.config}, each
     * present even when empty. {@code dns-resolver.running} is what the host resolves with (DHCP's name servers
     * included), where the host tells it; otherwise its configuration.
     */
    public static ObjectNode stateTree(NetworkState current) {
        return completed(NmstateWriter.toTree(current));
    }

    /**
     * A current state written as nmstate shows it (by {@code nmstatectl show}, {@code nmstream node show}, or in an NNS's
     * {@code status.currentState}) as the tree capture expressions read: a copy with the blocks {@link #stateTree(NetworkState)}
     * always has added where it lacks them.
     */
    public static ObjectNode stateTree(ObjectNode shown) {
        return completed(shown.deepCopy());
    }

    private static ObjectNode completed(ObjectNode tree) {
        ObjectNode routes = tree.get("routes") instanceof ObjectNode r ? r : tree.putObject("routes");
        if (!routes.has("running")) {
            routes.putArray("running");
        }
        if (!routes.has("config")) {
            routes.putArray("config");
        }
        ObjectNode dns = tree.get("dns-resolver") instanceof ObjectNode d ? d : tree.putObject("dns-resolver");
        if (!dns.has("config")) {
            dns.putObject("config");
        }
        if (!dns.has("running")) {
            dns.set("running", dns.get("config").deepCopy());
        }
        return tree;
    }

    private void captureAll() throws CaptureException {
        for (String name : expressions.keySet()) {
            capture(name, null);
        }
    }

    /** The captured state of {@code name}, resolving it (and what it reads) on first use. */
    private JsonNode capture(String name, String readBy) throws CaptureException {
        JsonNode done = captured.get(name);
        if (done != null) {
            return done;
        }
        String text = expressions.get(name);
        if (text == null) {
            throw new CaptureException("Capture " + readBy + " reads capture " + name + ", which the policy does not define: "
                + expressions.get(readBy));
        }
        if (!resolving.add(name)) {
            throw new CaptureException("Capture " + name + " reads itself through " + String.join(" -> ", resolving) + ": " + text);
        }
        CaptureExpression expression;
        try {
            expression = CaptureExpression.parse(text);
        } catch (CaptureExpression.SyntaxError e) {
            throw new CaptureException("Capture " + name + " is not a valid expression at column " + (e.position() + 1) + " ("
                + e.getMessage() + "): " + text);
        }
        JsonNode state = expression.input() == null ? current : capture(expression.input(), name);
        for (CaptureExpression.Step step : expression.steps()) {
            state = apply(name, expression, step, state);
            if (state == null) {
                throw new CaptureException("Capture " + name + " matched nothing: " + text);
            }
        }
        resolving.remove(name);
        captured.put(name, state);
        return state;
    }

    private JsonNode apply(String name, CaptureExpression expression, CaptureExpression.Step step, JsonNode state)
        throws CaptureException {
        JsonNode value = step.value() == null ? null : value(name, step.value());
        try {
            return switch (step.operator()) {
                case PATH -> StateTree.filter(state, step.path(), CaptureResolver::equal, null);
                case EQUALS -> StateTree.filter(state, step.path(), CaptureResolver::equal, value);
                case NOT_EQUALS -> StateTree.filter(state, step.path(), (found, wanted, at) -> !equal(found, wanted, at), value);
                case REPLACE -> StateTree.replace(state, step.path(), value);
            };
        } catch (StateTree.PathException e) {
            throw new CaptureException("Capture " + name + ": " + where(step.path(), e.step()) + " " + e.getMessage() + ": " + expression);
        }
    }

    /** The right-hand side of a step: a literal, or what lies at a path of another capture. */
    private JsonNode value(String name, CaptureExpression.Value value) throws CaptureException {
        if (value instanceof CaptureExpression.Literal literal) {
            return literal.value();
        }
        CaptureExpression.CapturePath reference = (CaptureExpression.CapturePath) value;
        JsonNode state = capture(reference.capture(), name);
        try {
            return StateTree.walk(state, reference.path());
        } catch (StateTree.PathException e) {
            throw new CaptureException("Capture " + name + " reads " + reference + ", but in capture " + reference.capture() + " ("
                + expressions.get(reference.capture()) + ") " + where(reference.path(), e.step()) + " " + e.getMessage() + ": "
                + expressions.get(name));
        }
    }

    /** nmpolicy's equality: values of one kind compared as they are (numbers by value); different kinds are an error. */
    private static boolean equal(JsonNode found, JsonNode wanted, int step) throws StateTree.PathException {
        if (found.isNumber() && wanted.isNumber()) {
            return found.decimalValue().compareTo(wanted.decimalValue()) == 0;
        }
        if (found.getNodeType() != wanted.getNodeType()) {
            // about the value found, one step further than the map that holds it
            throw new StateTree.PathException(step + 1, "holds " + StateTree.describe(found) + ", which cannot be compared with "
                + StateTree.describe(wanted));
        }
        return found.equals(wanted);
    }

    /** Copies {@code node} with its templates replaced; {@code at} is its location, for messages. */
    private JsonNode expand(JsonNode node, String at) throws CaptureException {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                out.set(field.getKey(), expand(field.getValue(), at.isEmpty() ? field.getKey() : at + "." + field.getKey()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(expand(node.get(i), at + "[" + i + "]"));
            }
            return out;
        }
        if (node.isTextual()) {
            Matcher template = TEMPLATE.matcher(node.asText());
            if (template.matches()) {
                return template(template.group(1), node.asText(), at);
            }
        }
        return node;
    }

    /** What the template {@code {{ reference }}} found at {@code at} stands for. */
    private JsonNode template(String reference, String text, String at) throws CaptureException {
        List<String> parts = Arrays.asList(reference.split("\\.", -1));
        String shown = "Template " + text + " at " + (at.isEmpty() ? "the document root" : at);
        if (parts.size() < 2 || !parts.get(0).equals("capture") || parts.stream().anyMatch(String::isEmpty)) {
            throw new CaptureException(shown + " is not a capture path (capture.<name>.<path>)");
        }
        String name = parts.get(1);
        if (!expressions.containsKey(name) && !captured.containsKey(name)) {
            throw new CaptureException(shown + " reads capture " + name + ", " + undefined);
        }
        JsonNode state = capture(name, null);
        List<String> path = new ArrayList<>(parts.subList(2, parts.size()));
        try {
            return StateTree.walk(state, path).deepCopy();
        } catch (StateTree.PathException e) {
            throw new CaptureException(shown + ": in capture " + name + " (" + source(name) + ") " + where(path, e.step()) + " "
                + e.getMessage());
        }
    }

    /** Where capture {@code name} came from, for messages: its expression, or that it was captured before. */
    private String source(String name) {
        return expressions.getOrDefault(name, "captured before");
    }

    /** What a {@link StateTree.PathException} at {@code step} speaks of: "interfaces.0" at step 2 of interfaces.0.ipv4. */
    private static String where(List<String> path, int step) {
        return step == 0 ? "the state" : String.join(".", path.subList(0, step));
    }
}
