package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.nmstream.common.labels.LabelSyntax;
import io.nmstream.common.policy.PolicyManifests;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.nmstate.KeySuggestions;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.ParseOptions;
import io.nmstream.nmstate.StateProblem;
import io.nmstream.nmstate.capture.CaptureExpression;
import io.nmstream.nmstate.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NodeNetworkConfigurationPolicy manifests (YAML or JSON, one or many documents, or a {@code List} of items) and
 * validates each as kubernetes-nmstate would; the desired state is validated by the nmstate model's own parser
 * ({@link NmstateParser}), the one the node agent applies from, so that a policy accepted here can be applied on a node.
 *
 * <p>All problems of the text are returned together; the policies are returned only when there are none, so a caller
 * can never publish part of a file.
 */
public final class ManifestParser {

    /** The API versions kubernetes-nmstate serves NNCPs under. */
    public static final List<String> API_VERSIONS = List.of(PolicyManifests.API_VERSION, "nmstate.io/v1beta1");
    public static final String KIND = PolicyManifests.KIND;
    static final int MAX_SELECTOR_ENTRIES = 256;
    static final List<String> SPEC_FIELDS = List.of("nodeSelector", "maxUnavailable", "capture", "desiredState", "priority",
        "revertOnDelete");
    /**
     * The fields of Kubernetes' ObjectMeta: a manifest exported with {@code kubectl get -o yaml} carries them (uid,
     * resourceVersion, managedFields, ...), and any other is a typo that kubectl's strict validation refuses too.
     */
    static final List<String> METADATA_FIELDS = List.of("name", "generateName", "namespace", "labels", "annotations", "uid",
        "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
        "finalizers", "managedFields", "selfLink");
    private static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?");
    private static final Pattern MAX_UNAVAILABLE = Pattern.compile("(\\d{1,9})(%?)");

    /** The outcome of parsing one source: its policies when {@link #problems()} is empty. */
    public record Result(List<PolicyManifest> policies, List<ManifestProblem> problems) {
        public Result {
            policies = List.copyOf(policies);
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Parses and validates {@code text}, read from {@code source} (a file name or request description for messages). */
    public Result parse(String source, String text) {
        List<JsonNode> documents = new ArrayList<>();
        try {
            for (JsonNode document : YamlDocuments.read(text)) {
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    addDocuments(document, documents);
                }
            }
        } catch (YamlDocuments.YamlException e) {
            return new Result(List.of(), List.of(yamlProblem(source, e)));
        }
        if (documents.isEmpty()) {
            return new Result(List.of(), List.of(new ManifestProblem(source, 0, "", null,
                "expected at least one " + KIND + " document")));
        }
        List<PolicyManifest> policies = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        Map<String, Integer> firstDocumentByName = new HashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Problems found = new Problems(source, i);
            PolicyManifest policy = validate(documents.get(i), source, i, found);
            if (policy != null) {
                Integer first = firstDocumentByName.putIfAbsent(policy.name(), i);
                if (first != null) {
                    found.addText("metadata.name", "\"" + policy.name() + "\"", "policy names must be unique; document[" + first
                        + "] already defines it");
                }
            }
            if (found.isEmpty()) {
                policies.add(policy);
            }
            problems.addAll(found.list());
        }
        return problems.isEmpty() ? new Result(policies, List.of()) : new Result(List.of(), problems);
    }

    /** Flattens a JSON array or a Kubernetes {@code List} into its items. */
    private static void addDocuments(JsonNode document, List<JsonNode> out) {
        if (document.isArray()) {
            document.forEach(out::add);
        } else if (document.isObject() && document.path("kind").asText().endsWith("List") && document.path("items").isArray()) {
            document.get("items").forEach(out::add);
        } else {
            out.add(document);
        }
    }

    /** A syntax error at its line, or an alias that cannot be resolved at its path. */
    private static ManifestProblem yamlProblem(String source, YamlDocuments.YamlException e) {
        return new ManifestProblem(source, e.document(), e.path(), e.value(), "must be YAML or JSON: " + e.reason());
    }

    private PolicyManifest validate(JsonNode document, String source, int index, Problems problems) {
        if (!document.isObject()) {
            problems.add("", document, "a document must be a " + KIND + " mapping");
            return null;
        }
        knownFields(document, "", List.of("apiVersion", "kind", "metadata", "spec", "status"), "a " + KIND, problems);
        JsonNode apiVersion = document.path("apiVersion");
        if (apiVersion.isMissingNode()) {
            problems.missing("apiVersion", "one of " + String.join(", ", API_VERSIONS));
        } else if (!API_VERSIONS.contains(apiVersion.asText())) {
            problems.add("apiVersion", apiVersion, "must be one of " + String.join(", ", API_VERSIONS));
        }
        JsonNode kind = document.path("kind");
        if (kind.isMissingNode()) {
            problems.missing("kind", KIND);
        } else if (!KIND.equals(kind.asText())) {
            problems.add("kind", kind, "must be " + KIND);
        }
        String name = validateName(document.path("metadata"), problems);
        JsonNode spec = document.path("spec");
        if (!spec.isObject()) {
            if (spec.isMissingNode()) {
                problems.missing("spec", "a spec with at least desiredState");
            } else {
                problems.add("spec", spec, "must be a mapping");
            }
            return null;
        }
        knownFields(spec, "spec", SPEC_FIELDS, "an NNCP spec", problems);
        Map<String, String> selector = validateNodeSelector(spec.path("nodeSelector"), problems);
        String maxUnavailable = validateMaxUnavailable(spec.path("maxUnavailable"), problems);
        Map<String, String> capture = validateCapture(spec.path("capture"), problems);
        int priority = 0;
        if (spec.has("priority")) {
            JsonNode value = spec.get("priority");
            if (!value.isInt()) {
                problems.add("spec.priority", value, "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
            } else {
                priority = value.asInt();
            }
        }
        boolean revertOnDelete = false;
        if (spec.has("revertOnDelete")) {
            JsonNode value = spec.get("revertOnDelete");
            if (!value.isBoolean()) {
                problems.add("spec.revertOnDelete", value, "must be true or false");
            }
            revertOnDelete = value.asBoolean(false);
        }
        JsonNode desiredState = spec.path("desiredState");
        if (desiredState.isMissingNode()) {
            problems.missing("spec.desiredState", "the nmstate state to apply (interfaces, routes, dns-resolver, ...)");
        } else if (desiredState.isNull()) {
            problems.add("spec.desiredState", desiredState, "must be a mapping of nmstate sections (interfaces, routes, dns-resolver)");
        } else {
            for (StateProblem problem : NmstateParser.parse(desiredState, ParseOptions.policy(capture.keySet())).problems()) {
                problems.addText(problem.path().isEmpty() ? "spec.desiredState" : "spec.desiredState." + problem.path(), problem.value(),
                    problem.allowed());
            }
        }
        if (!problems.isEmpty() || name == null) {
            return null;
        }
        return new PolicyManifest(name, selector, maxUnavailable, capture, priority, revertOnDelete,
            CanonicalForm.canonicalJson(desiredState), source, index);
    }

    /** Records every field of {@code object} not in {@code known}, with the nearest known field. */
    private static void knownFields(JsonNode object, String path, List<String> known, String what, Problems problems) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.addText(path.isEmpty() ? name : path + "." + name, "\"" + name + "\"",
                    KeySuggestions.unknownKey(name, what, known));
            }
        }
    }

    private static boolean isStringMap(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        for (Iterator<JsonNode> values = node.elements(); values.hasNext();) {
            if (!values.next().isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String validateName(JsonNode metadata, Problems problems) {
        if (!metadata.isObject()) {
            if (metadata.isMissingNode()) {
                problems.missing("metadata.name", "the policy's name");
            } else {
                problems.add("metadata", metadata, "must be a mapping with a name");
            }
            return null;
        }
        knownFields(metadata, "metadata", METADATA_FIELDS, "metadata", problems);
        for (String map : List.of("labels", "annotations")) {
            JsonNode entries = metadata.path(map);
            if (!entries.isMissingNode() && !entries.isNull() && !isStringMap(entries)) {
                problems.add("metadata." + map, entries, "must be a mapping of strings (quote values such as \"true\" or \"1\")");
            }
        }
        JsonNode name = metadata.path("name");
        if (name.isMissingNode()) {
            problems.missing("metadata.name", "the policy's name");
            return null;
        }
        if (metadata.has("generateName")) {
            problems.add("metadata.generateName", metadata.get("generateName"),
                "policies need a fixed name; generateName is not supported");
        }
        if (!name.isTextual() || !LabelSyntax.isPolicyName(name.asText())) {
            problems.add("metadata.name", name, "must be " + LabelSyntax.NAME_RULE);
            return null;
        }
        return name.asText();
    }

    private static Map<String, String> validateNodeSelector(JsonNode selector, Problems problems) {
        Map<String, String> out = new TreeMap<>();
        if (selector.isMissingNode() || selector.isNull()) {
            return out;
        }
        if (!selector.isObject()) {
            problems.add("spec.nodeSelector", selector, "must be a mapping of label keys to values");
            return out;
        }
        if (selector.size() > MAX_SELECTOR_ENTRIES) {
            problems.addText("spec.nodeSelector", selector.size() + " entries", "at most " + MAX_SELECTOR_ENTRIES + " labels");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = selector.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = "spec.nodeSelector[\"" + field.getKey() + "\"]";
            if (!LabelSyntax.isQualifiedName(field.getKey())) {
                problems.addText(path, "\"" + field.getKey() + "\"", "the key must be " + LabelSyntax.KEY_RULE);
            }
            JsonNode value = field.getValue();
            if (!value.isTextual()) {
                problems.add(path, value, "label values are text; quote it (\"" + value.asText() + "\")");
            } else if (!LabelSyntax.isLabelValue(value.asText())) {
                problems.add(path, value, "the value must be " + LabelSyntax.VALUE_RULE);
            } else {
                out.put(field.getKey(), value.asText());
            }
        }
        return out;
    }

    /**
     * A positive count, or a percentage from 1% to 100% written as a string; 0 and 0% stop every rollout
     * (kubernetes-nmstate deadlocks on them), and a string that is no percentage is no IntOrString Kubernetes can scale.
     */
    private static String validateMaxUnavailable(JsonNode value, Problems problems) {
        if (value.isMissingNode() || value.isNull()) {
            return PolicyManifest.DEFAULT_MAX_UNAVAILABLE;
        }
        String allowed = "a positive integer of nodes or a percentage from 1% to 100% (0 and 0% would never roll out)";
        if (value.isIntegralNumber()) {
            if (!value.canConvertToInt() || value.asInt() < 1) {
                problems.add("spec.maxUnavailable", value, allowed);
                return null;
            }
            return Integer.toString(value.asInt());
        }
        Matcher matcher = value.isTextual() ? MAX_UNAVAILABLE.matcher(value.asText().trim()) : null;
        if (matcher == null || !matcher.matches()) {
            problems.add("spec.maxUnavailable", value, allowed);
            return null;
        }
        int number = Integer.parseInt(matcher.group(1));
        boolean percent = !matcher.group(2).isEmpty();
        if (!percent) {
            // Kubernetes' IntOrString: kubernetes-nmstate cannot scale a string that is no percentage and falls back to its
            // default (50%), which is not the limit the manifest meant
            problems.add("spec.maxUnavailable", value, "a string must be a percentage (\"" + number + "%\"); a number of nodes "
                + "is written without quotes (" + number + ")");
            return null;
        }
        if (number < 1 || number > 100) {
            problems.add("spec.maxUnavailable", value, allowed);
            return null;
        }
        return number + "%";
    }

    /** Parses every capture expression and checks that the captures it reads exist and do not form a cycle. */
    private static Map<String, String> validateCapture(JsonNode capture, Problems problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (capture.isMissingNode() || capture.isNull()) {
            return out;
        }
        if (!capture.isObject()) {
            problems.add("spec.capture", capture, "must be a mapping of capture names to nmpolicy expressions");
            return out;
        }
        Map<String, Set<String>> references = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = capture.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = "spec.capture." + field.getKey();
            if (!CAPTURE_NAME.matcher(field.getKey()).matches()) {
                problems.addText(path, "\"" + field.getKey() + "\"", "capture names are letters, digits, '-' and '_'");
                continue;
            }
            if (!field.getValue().isTextual()) {
                problems.add(path, field.getValue(), "must be an nmpolicy expression such as interfaces.name==\"eth1\"");
                continue;
            }
            String expression = field.getValue().asText();
            out.put(field.getKey(), expression);
            try {
                references.put(field.getKey(), CaptureExpression.parse(expression).references());
            } catch (CaptureExpression.SyntaxError e) {
                problems.addText(path, "\"" + expression + "\"", "nmpolicy syntax error at column " + (e.position() + 1) + ": "
                    + e.getMessage() + "\n    " + expression + "\n    " + " ".repeat(e.position()) + "^");
            }
        }
        references.forEach((name, used) -> {
            for (String reference : used) {
                if (!out.containsKey(reference)) {
                    problems.addText("spec.capture." + name, "\"capture." + reference + "\"", "reads a capture that is not defined");
                } else if (reachable(reference, name, references, new LinkedHashSet<>())) {
                    problems.addText("spec.capture." + name, "\"capture." + reference + "\"",
                        "captures must not read each other in a cycle");
                }
            }
        });
        return out;
    }

    private static boolean reachable(String from, String target, Map<String, Set<String>> references, Set<String> visited) {
        if (from.equals(target)) {
            return true;
        }
        if (!visited.add(from)) {
            return false;
        }
        for (String next : references.getOrDefault(from, Set.of())) {
            if (reachable(next, target, references, visited)) {
                return true;
            }
        }
        return false;
    }
}
