package io.nmstream.nmstate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an apply would change, as a line diff of nmstate YAML per interface (and for routes, route rules and DNS), the way
 * {@code nmstatectl apply --dry-run} lets a user review a change before making it. Unchanged interfaces are left out.
 */
public final class StateDiff {

    private StateDiff() {
    }

    /**
     * What applying {@code desired} to {@code current} would change: the diff to the merged state, then what the profile
     * of each interface to be down is to keep for when it comes up ({@link InterfaceSpec#keepsSettingsWhileDown}), which
     * the host does not show while it is down; empty when nothing changes.
     */
    public static String ofApply(NetworkState current, NetworkState desired) {
        StringBuilder out = new StringBuilder(describe(current, StateMerger.merge(current, desired)));
        for (InterfaceSpec want : desired.interfaces()) {
            if (want.keepsSettingsWhileDown(current)) {
                out.append("interface ").append(want.name()).append(" (down; its profile is to keep, for when it comes up):\n");
                out.append(yaml(want).lines().map(line -> "  " + line + "\n").collect(Collectors.joining()));
            }
        }
        return out.toString();
    }

    /** The diff from {@code before} to {@code after}; empty when nothing changes. */
    public static String describe(NetworkState before, NetworkState after) {
        StringBuilder out = new StringBuilder();
        Set<String> names = new LinkedHashSet<>();
        before.interfaces().forEach(i -> names.add(i.name()));
        after.interfaces().forEach(i -> names.add(i.name()));
        for (String name : names) {
            String was = before.find(name).map(StateDiff::yaml).orElse("");
            String will = after.find(name).map(StateDiff::yaml).orElse("");
            if (!was.equals(will)) {
                out.append("interface ").append(name).append(was.isEmpty() ? " (new)" : will.isEmpty() ? " (removed)" : "").append(":\n");
                out.append(lines(was, will));
            }
        }
        // only the blocks the desired state configures: a rule list, a route list and a resolver config, not whole documents
        JsonNode treeBefore = NmstateWriter.toTree(before);
        JsonNode treeAfter = NmstateWriter.toTree(after);
        for (String block : List.of("route-rules", "routes", "dns-resolver")) {
            String was = section(treeBefore, block);
            String will = section(treeAfter, block);
            if (!was.equals(will)) {
                out.append(block).append(":\n").append(lines(was, will));
            }
        }
        return out.toString();
    }

    /** The {@code config} of one top-level block ({@code routes}, {@code dns-resolver}, ...) as YAML; empty when there is none. */
    private static String section(JsonNode document, String block) {
        JsonNode config = document.path(block).path("config");
        return config.isMissingNode() || config.isEmpty() ? "" : NmstateWriter.yaml(config);
    }

    private static String yaml(InterfaceSpec i) {
        return NmstateWriter.interfaceYaml(i);
    }

    /** A longest-common-subsequence line diff: "  " kept, "- " removed, "+ " added. */
    static String lines(String before, String after) {
        List<String> a = before.isEmpty() ? List.of() : List.of(before.split("\n"));
        List<String> b = after.isEmpty() ? List.of() : List.of(after.split("\n"));
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        return String.join("\n", out) + "\n";
    }
}
