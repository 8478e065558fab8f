package io.nmstream.bench.rollout;

import io.nmstream.ingest.manifest.PolicyManifest;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.EventContract;
import java.util.Locale;

/**
 * The {@code maxUnavailable} a measured policy carries: {@code default} (the manifest leaves it out, as most policies
 * do, and gets {@value PolicyManifest#DEFAULT_MAX_UNAVAILABLE}), or a value as a manifest writes it ({@code "10%"},
 * {@code "100%"}, {@code "3"}).
 *
 * @param maxUnavailable the manifest's value, or null for the default
 */
public record RolloutVariant(String maxUnavailable) {

    /** The name {@code --max-unavailable} gives the variant whose manifest sets nothing. */
    public static final String DEFAULT = "default";
    /** The variant every other one is compared with: nobody held back. */
    public static final RolloutVariant UNLIMITED = new RolloutVariant("100%");

    /**
     * Parses a value of {@code --max-unavailable}.
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static RolloutVariant parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals(DEFAULT)) {
            return new RolloutVariant(null);
        }
        try {
            EventContract.checkMaxUnavailable("bench", t);
        } catch (ContractViolation e) {
            throw new IllegalArgumentException("--max-unavailable has value '" + text + "': expected " + DEFAULT
                + ", a positive whole number (3) or a percentage from 1% to 100% (10%)");
        }
        return new RolloutVariant(t);
    }

    /** The limit the reconciler applies: the manifest's, or the default. */
    public String effective() {
        return maxUnavailable == null ? PolicyManifest.DEFAULT_MAX_UNAVAILABLE : maxUnavailable;
    }

    /** As the report names it: "default (50%)", "10%". */
    public String label() {
        return maxUnavailable == null ? DEFAULT + " (" + effective() + ")" : maxUnavailable;
    }

    /** The manifest line, or nothing for the default: a percentage as a string, a number of nodes as a number. */
    String manifestLine() {
        if (maxUnavailable == null) {
            return "";
        }
        String value = maxUnavailable.endsWith("%") ? "\"" + maxUnavailable + "\"" : maxUnavailable;
        return "  maxUnavailable: " + value + "\n";
    }

    @Override
    public String toString() {
        return maxUnavailable == null ? DEFAULT : maxUnavailable;
    }
}
