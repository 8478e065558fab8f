package io.nmstream.nmstate;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known key a user most likely meant when they wrote an unknown one ({@code mtuu} for {@code mtu}), so that the
 * problem says how to fix the typo rather than only that it is one.
 */
public final class KeySuggestions {

    /** Keys at most this many single-character edits away are suggested. */
    static final int MAX_DISTANCE = 2;
    /** A known key this long or longer that an unknown key starts with is suggested ({@code miimon} for {@code miimon_ms}). */
    static final int MIN_PREFIX = 3;

    private KeySuggestions() {
    }

    /**
     * The known key nearest to {@code key}: the one with the smallest edit distance when that is at most
     * {@link #MAX_DISTANCE} (case-insensitively), otherwise a known key that starts with {@code key}, otherwise the longest
     * known key {@code key} starts with ({@code miimon} for {@code miimon_ms}); empty when none is close.
     */
    public static Optional<String> nearest(String key, Collection<String> known) {
        String wanted = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> longer = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).startsWith(wanted)).findFirst();
        if (longer.isPresent()) {
            return longer;
        }
        return known.stream().filter(k -> k.length() >= MIN_PREFIX && wanted.startsWith(k.toLowerCase(Locale.ROOT)))
            .max(Comparator.comparingInt(String::length));
    }

    /**
     * The text of an unknown-key problem: {@code unknown field of an interface; did you mean mtu? (known fields: name, ...)}.
     *
     * @param what the block, with its article ("an interface", "link-aggregation")
     */
    public static String unknownKey(String key, String what, Collection<String> known) {
        StringBuilder text = new StringBuilder("unknown field of ").append(what);
        nearest(key, known).ifPresent(n -> text.append("; did you mean ").append(n).append('?'));
        return text.append(" (known fields: ").append(String.join(", ", known)).append(')').toString();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each count 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
