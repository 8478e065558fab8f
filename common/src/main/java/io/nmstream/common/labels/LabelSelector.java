package io.nmstream.common.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector as {@code kubectl get -l} takes it: requirements separated by commas, all of which a resource's labels
 * must meet: {@code key=value} (or {@code ==}), {@code key!=value}, {@code key} (has it), {@code !key} (has it not),
 * {@code key in (a,b)} and {@code key notin (a,b)}.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

    private static final Pattern SET_BASED = Pattern.compile("(\\S+)\\s+(in|notin)\\s+\\(([^)]*)\\)");
    private static final Pattern EQUALITY = Pattern.compile("([^!=\\s]+)\\s*(==|=|!=)\\s*(\\S*)");
    private static final Pattern EXISTENCE = Pattern.compile("(!?)\\s*([^!=\\s(),]+)");

    private final String text;
    private final List<Predicate<Map<String, String>>> requirements;

    private LabelSelector(String text, List<Predicate<Map<String, String>>> requirements) {
        this.text = text;
        this.requirements = requirements;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the selector and the requirement that is not one
     */
    public static LabelSelector parse(String text) {
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String requirement : requirements(text)) {
            requirements.add(requirement(text, requirement.strip()));
        }
        return new LabelSelector(text, requirements);
    }

    @Override
    public boolean test(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.test(labels));
    }

    @Override
    public String toString() {
        return text;
    }

    /** The requirements of {@code text}: split at the commas that are not inside a set's parentheses. */
    private static List<String> requirements(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Predicate<Map<String, String>> requirement(String selector, String requirement) {
        Matcher set = SET_BASED.matcher(requirement);
        if (set.matches()) {
            String key = key(selector, set.group(1));
            Set<String> values = Set.copyOf(Arrays.stream(set.group(3).split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList());
            values.stream().filter(v -> !LabelSyntax.isLabelValue(v)).findFirst().ifPresent(v -> {
                throw new IllegalArgumentException("Invalid selector '" + selector + "': '" + v + "' is not a label value ("
                    + LabelSyntax.VALUE_RULE + ")");
            });
            // a resource without the label is in no set (an immutable set refuses to be asked about null)
            Predicate<Map<String, String>> in = labels -> labels.containsKey(key) && values.contains(labels.get(key));
            return set.group(2).equals("in") ? in : in.negate();
        }
        Matcher equality = EQUALITY.matcher(requirement);
        if (equality.matches()) {
            String key = key(selector, equality.group(1));
            String value = equality.group(3);
            if (!LabelSyntax.isLabelValue(value)) {
                throw new IllegalArgumentException("Invalid selector '" + selector + "': '" + value + "' is not a label value ("
                    + LabelSyntax.VALUE_RULE + ")");
            }
            return equality.group(2).equals("!=") ? labels -> !value.equals(labels.get(key)) : labels -> value.equals(labels.get(key));
        }
        Matcher existence = EXISTENCE.matcher(requirement);
        if (existence.matches()) {
            String key = key(selector, existence.group(2));
            return existence.group(1).isEmpty() ? labels -> labels.containsKey(key) : labels -> !labels.containsKey(key);
        }
        throw new IllegalArgumentException("Invalid selector '" + selector + "': '" + requirement + "' is not a requirement: expected "
            + "key=value, key!=value, key, !key, key in (a,b) or key notin (a,b)");
    }

    private static String key(String selector, String key) {
        if (!LabelSyntax.isQualifiedName(key)) {
            throw new IllegalArgumentException("Invalid selector '" + selector + "': '" + key + "' is not a label key ("
                + LabelSyntax.KEY_RULE + ")");
        }
        return key;
    }
}
