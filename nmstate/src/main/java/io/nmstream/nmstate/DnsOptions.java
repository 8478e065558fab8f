package io.nmstream.nmstate;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The resolver options nmstate accepts in {@code dns-resolver.config.options}: the flags of resolv.conf(5) it lists, and
 * the three that take a number ({@code ndots:1}). NetworkManager writes them to resolv.conf's {@code options} line.
 */
final class DnsOptions {

    /** nmstate's options without a value, in its order. */
    static final List<String> FLAGS = List.of("debug", "edns0", "inet6", "ip6-bytestring", "ip6-dotint", "no-aaaa",
        "no-check-names", "no-ip6-dotint", "no-reload", "no-tld-query", "rotate", "single-request", "single-request-reopen",
        "trust-ad", "use-vc");
    /** nmstate's options that take a number after a colon. */
    static final List<String> WITH_NUMBER = List.of("ndots", "timeout", "attempts");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    private DnsOptions() {
    }

    /** The option {@code n} names; null, with a problem recorded, when nmstate would refuse it. */
    static String check(Located n) {
        String text = n.text();
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (colon < 0 && FLAGS.contains(name)) {
            return text;
        }
        if (WITH_NUMBER.contains(name)) {
            if (colon >= 0 && NUMBER.matcher(text.substring(colon + 1)).matches()) {
                return text;
            }
            n.problem("'" + name + "' takes a number: " + name + ":<n>, such as " + name + ":2");
            return null;
        }
        if (colon >= 0 && FLAGS.contains(name)) {
            n.problem("'" + name + "' takes no value: write it alone");
            return null;
        }
        StringBuilder allowed = new StringBuilder("a resolver option nmstate supports");
        KeySuggestions.nearest(name, all()).ifPresent(s -> allowed.append("; did you mean ").append(s).append('?'));
        allowed.append(" (without a value: ").append(String.join(", ", FLAGS)).append("; with a number: ")
            .append(String.join(", ", WITH_NUMBER.stream().map(o -> o + ":<n>").toList())).append(')');
        n.problem(allowed.toString());
        return null;
    }

    /** The name of an option: {@code ndots} for {@code ndots:2}. */
    static String name(String option) {
        int colon = option.indexOf(':');
        return colon < 0 ? option : option.substring(0, colon);
    }

    private static List<String> all() {
        return Stream.concat(FLAGS.stream(), WITH_NUMBER.stream()).toList();
    }
}
