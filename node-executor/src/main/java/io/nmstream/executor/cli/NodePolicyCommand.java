package io.nmstream.executor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.KeySuggestions;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.nmstate.capture.CaptureException;
import io.nmstream.nmstate.capture.CaptureResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node policy FILE}: the desired state a policy with captures renders to on this host (or against a
 * current state from a file), as {@code nmstatectl policy} prints it and as a node agent resolves it before applying:
 * every capture evaluated against the current state, every template filled. Nothing is applied.
 *
 * <p>The file is an nmstate policy ({@code capture}, {@code desiredState} or {@code desired}, and optionally
 * {@code current}) or a NodeNetworkConfigurationPolicy manifest (its {@code spec.capture} and {@code spec.desiredState}).
 * The rendered state is checked as the agent checks it once the captures are resolved ({@code CommandTarget}), so a
 * rendering the agent would refuse is refused here, with the agent's message; what applying it would change on this
 * host is {@code node apply --dry-run}'s to say, which reads this command's output from a pipe.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Print the desired state a policy's captures render to on this host (nmstatectl policy); nothing is applied.")
public final class NodePolicyCommand implements Callable<Integer> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys of nmstate's policy file ({@code NetworkPolicy}: {@code desired} has the alias {@code desiredState}). */
    private static final List<String> POLICY_KEYS = List.of("capture", "desiredState", "desired", "current");
    /** The keys of one captured state in the file {@code --captured} reads and {@code --output-captured} writes. */
    private static final List<String> CAPTURED_KEYS = List.of("metaInfo", "state");

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An nmstate policy (capture, desiredState) or an NNCP manifest; '-' reads standard "
        + "input.")
    String file;

    @Option(names = {"-c", "--current"}, paramLabel = "FILE",
        description = "Evaluate the captures against this current state (as `node show` prints it, or an NNS object as `nmstream "
            + "get nns NODE -o yaml` prints it) instead of this host's; '-' reads standard input.")
    String currentFile;

    @Option(names = {"-a", "--captured"}, paramLabel = "FILE",
        description = "Fill the templates from these captured states (as --output-captured writes them) instead of evaluating the "
            + "captures.")
    String capturedFile;

    @Option(names = {"-o", "--output-captured"}, paramLabel = "FILE", description = "Also write the captured states to FILE.")
    String outputCaptured;

    @Option(names = "--json", description = "Print JSON instead of YAML (and write --output-captured as JSON).")
    boolean json;

    /** A file the command cannot use; the message names it and says why. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    /** What the policy file holds. */
    private record Policy(Map<String, String> capture, JsonNode desiredState, ObjectNode current) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy policy;
        Map<String, JsonNode> captured;
        if (Stream.of(file, currentFile, capturedFile).filter("-"::equals).count() > 1) {
            err.println("Only one of FILE, --current and --captured can be '-': there is one standard input");
            return 2;
        }
        try {
            policy = policy(file);
            if (policy == null) {
                // an empty policy renders to nothing, as nmstatectl policy prints nothing for it
                return 0;
            }
            captured = captured(policy);
        } catch (Unusable e) {
            err.println(e.getMessage());
            return 2;
        } catch (CaptureException e) {
            err.println(e.getMessage());
            return 1;
        } catch (BackendException e) {
            err.println("Cannot read this host's state to resolve the policy's captures: " + e.getMessage());
            return 1;
        }
        JsonNode rendered;
        try {
            rendered = CaptureResolver.expand(policy.desiredState(), captured);
            NmstateParser.parse(rendered);
        } catch (CaptureException e) {
            err.println(e.getMessage());
            return 1;
        } catch (InvalidStateException e) {
            // the agent's words for the same refusal (CommandTarget)
            err.println("Invalid desired state after resolving captures " + new TreeSet<>(captured.keySet()) + ": " + e.getMessage());
            return 1;
        }
        if (outputCaptured != null) {
            try {
                Files.writeString(Path.of(outputCaptured), write(capturedStates(captured)));
            } catch (IOException e) {
                err.println("Cannot write the captured states to " + outputCaptured + ": " + e.getMessage());
                return 1;
            }
        }
        out.print(write(rendered));
        out.flush();
        return 0;
    }

    /**
     * The policy's captured states, from the first source given: {@code --captured}, {@code --current}, the policy's own
     * {@code current}, this host (read only when the policy captures something).
     */
    private Map<String, JsonNode> captured(Policy policy) throws Unusable, CaptureException, BackendException {
        if (capturedFile != null) {
            return captured(capturedFile);
        }
        if (currentFile != null) {
            return CaptureResolver.captures(policy.capture(), CaptureResolver.stateTree(current(currentFile)));
        }
        if (policy.current() != null) {
            return CaptureResolver.captures(policy.capture(), CaptureResolver.stateTree(policy.current()));
        }
        if (policy.capture().isEmpty()) {
            return Map.of();
        }
        try (NetworkBackend backend = parent.backend()) {
            return CaptureResolver.captures(policy.capture(), CaptureResolver.stateTree(backend.currentState()));
        }
    }

    /** The policy {@code path} holds; null when it holds nothing. */
    private static Policy policy(String path) throws Unusable {
        JsonNode root = document(path);
        if (root == null) {
            return null;
        }
        JsonNode policy = root;
        String at = "";
        if (root.has("kind")) {
            if (!root.path("kind").asText().equals("NodeNetworkConfigurationPolicy")) {
                throw new Unusable(path + " kind: " + root.get("kind") + " is not a policy: give an nmstate policy (capture, desiredState) "
                    + "or a NodeNetworkConfigurationPolicy");
            }
            policy = root.path("spec");
            at = "spec.";
        } else {
            for (String key : (Iterable<String>) root::fieldNames) {
                if (!POLICY_KEYS.contains(key)) {
                    throw new Unusable(path + " " + key + ": \"" + key + "\" is not allowed: "
                        + KeySuggestions.unknownKey(key, "an nmstate policy", POLICY_KEYS));
                }
            }
        }
        JsonNode desired = policy.has("desiredState") ? policy.get("desiredState") : policy.get("desired");
        if (desired == null || desired.isNull()) {
            if (policy.path("capture").isEmpty()) {
                return null;
            }
            throw new Unusable(path + " " + at + "desiredState: missing: the policy's captures fill nothing");
        }
        if (!desired.isObject()) {
            throw new Unusable(path + " " + at + "desiredState: must be an nmstate state (a map)");
        }
        Map<String, String> capture = new LinkedHashMap<>();
        JsonNode captures = policy.path("capture");
        if (!captures.isMissingNode() && !captures.isNull() && !captures.isObject()) {
            throw new Unusable(path + " " + at + "capture: must be a map of capture names to expressions");
        }
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) captures::fields) {
            if (!entry.getValue().isTextual()) {
                throw new Unusable(path + " " + at + "capture." + entry.getKey() + ": " + entry.getValue() + " is not allowed: must be a "
                    + "capture expression (a string)");
            }
            capture.put(entry.getKey(), entry.getValue().asText());
        }
        JsonNode current = at.isEmpty() ? policy.get("current") : null;
        if (current != null && !current.isObject()) {
            throw new Unusable(path + " current: must be an nmstate state (a map)");
        }
        return new Policy(capture, desired, (ObjectNode) current);
    }

    /** The current state {@code path} holds: an nmstate state, or an NNS object's {@code status.currentState}. */
    private static ObjectNode current(String path) throws Unusable {
        JsonNode root = document(path);
        if (root != null && root.path("kind").asText().equals("NodeNetworkState")) {
            root = root.path("status").get("currentState");
            if (root == null) {
                throw new Unusable(path + " status.currentState: missing: the NodeNetworkState has no current state yet");
            }
        }
        if (root == null || !root.isObject()) {
            throw new Unusable(path + ": must be a current state as `nmstream node show` prints it, or a NodeNetworkState");
        }
        return (ObjectNode) root;
    }

    /** The captured states {@code path} holds, by capture name. */
    private static Map<String, JsonNode> captured(String path) throws Unusable {
        JsonNode root = document(path);
        if (root == null || !root.isObject()) {
            throw new Unusable(path + ": must be captured states by capture name, as --output-captured writes them");
        }
        Map<String, JsonNode> captured = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            JsonNode state = entry.getValue().get("state");
            if (!entry.getValue().isObject() || state == null || !state.isObject()) {
                throw new Unusable(path + " " + entry.getKey() + ".state: missing: each captured state is {metaInfo, state}");
            }
            for (String key : (Iterable<String>) entry.getValue()::fieldNames) {
                if (!CAPTURED_KEYS.contains(key)) {
                    throw new Unusable(path + " " + entry.getKey() + "." + key + ": \"" + key + "\" is not allowed: "
                        + KeySuggestions.unknownKey(key, "a captured state", CAPTURED_KEYS));
                }
            }
            captured.put(entry.getKey(), state);
        }
        return captured;
    }

    /** The captured states as nmstatectl writes them: each with when it was captured. */
    private static ObjectNode capturedStates(Map<String, JsonNode> captured) {
        ObjectNode states = JSON.createObjectNode();
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        captured.forEach((name, state) -> {
            ObjectNode entry = states.putObject(name);
            entry.putObject("metaInfo").put("time", time).put("version", "0");
            entry.set("state", state);
        });
        return states;
    }

    /** The one YAML or JSON document {@code path} holds; null when it holds none. */
    private static JsonNode document(String path) throws Unusable {
        String text;
        try {
            text = CommandInput.read(path);
        } catch (CommandInput.Unreadable e) {
            throw new Unusable(e.getMessage());
        }
        List<JsonNode> documents;
        try {
            documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll().stream()
                .filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        } catch (IOException e) {
            throw new Unusable("Cannot read " + path + ": not YAML or JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (documents.size() > 1) {
            throw new Unusable(path + " holds " + documents.size() + " documents: give one");
        }
        return documents.isEmpty() ? null : documents.get(0);
    }

    private String write(JsonNode node) throws JsonProcessingException {
        return json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n" : NmstateWriter.yaml(node);
    }
}
