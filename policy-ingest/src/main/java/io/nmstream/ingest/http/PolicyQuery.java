package io.nmstream.ingest.http;

import io.nmstream.nmstate.KeySuggestions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a policy API request's query asks for: {@code dryRun} on a POST or a DELETE, as Kubernetes' API takes it, and
 * nothing else. A parameter the API does not know, or a dryRun value it cannot read, is refused rather than ignored: a
 * client that wrote {@code ?dryrun=true} or {@code ?dryRun=yes} means not to publish, and ignoring it would publish.
 *
 * @param problem why the query is refused (the 400 answer's message); null when it is not
 */
record PolicyQuery(boolean dryRun, String problem) {

    static final String DRY_RUN = "dryRun";
    /** The values of dryRun meaning "do not publish": ours, Kubernetes' ({@code All}) and a bare {@code ?dryRun}. */
    private static final Set<String> DRY = Set.of("true", "All", "");

    /**
     * The query of {@code method} (already routed) with {@code parameters}: only POST and DELETE take {@code dryRun}.
     */
    static PolicyQuery of(String method, Map<String, List<String>> parameters) {
        boolean takesDryRun = method.equals("POST") || method.equals("DELETE");
        List<String> accepted = takesDryRun ? List.of(DRY_RUN) : List.of();
        for (String name : parameters.keySet()) {
            if (!accepted.contains(name)) {
                return refused(unknown(method, name, accepted));
            }
        }
        List<String> values = parameters.getOrDefault(DRY_RUN, List.of());
        if (values.size() > 1) {
            return refused("query parameter " + DRY_RUN + " is given " + values.size() + " times; give it once");
        }
        if (values.isEmpty() || values.get(0).equals("false")) {
            return new PolicyQuery(false, null);
        }
        if (DRY.contains(values.get(0))) {
            return new PolicyQuery(true, null);
        }
        return refused("query parameter " + DRY_RUN + ": \"" + values.get(0) + "\" is not allowed: expected true, All or false; "
            + "nothing was published");
    }

    private static String unknown(String method, String name, List<String> accepted) {
        StringBuilder text = new StringBuilder("query parameter \"").append(name).append("\" is not accepted");
        KeySuggestions.nearest(name, accepted).ifPresent(n -> text.append("; did you mean ").append(n).append('?'));
        text.append(accepted.isEmpty() ? " (" + method + " takes no query parameters)"
            : " (" + method + " takes: " + String.join(", ", accepted) + ")");
        return (accepted.isEmpty() ? text : text.append("; nothing was published")).toString();
    }

    private static PolicyQuery refused(String problem) {
        return new PolicyQuery(false, problem);
    }
}
