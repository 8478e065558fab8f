package io.nmstream.common.status;

import io.nmstream.schemas.avro.ResourceStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Shows a policy's rollout while a command waits for it: on a terminal one line redrawn in place, with its name and a
 * bar ({@code jumbo-storage [########------------] 4/10 Progressing: ...}); elsewhere (a pipeline's log) plain lines, one when the
 * conditions change and at most one every {@link #PLAIN_INTERVAL} while only the counts change.
 */
public final class RolloutProgressDisplay implements Consumer<ResourceStatus> {

    /** How often a log gets a line while only the counts change. */
    public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);

    private static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final boolean terminal;
    private final Supplier<Instant> clock;
    private String lastTypes = "";
    private String lastLine = "";
    private Instant lastPrinted = Instant.MIN;
    private int lastWidth;

    /**
     * @param terminal true to redraw one line in place (standard output is a terminal)
     */
    public RolloutProgressDisplay(PrintWriter out, boolean terminal, Supplier<Instant> clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public void accept(ResourceStatus policy) {
        PolicyWait.Progress progress = PolicyWait.progress(policy);
        String summary = PolicyWait.summary(policy);
        String counts = progress.total() == 0 ? "" : progress.done() + "/" + progress.total() + " ";
        // named as the command's last line and kubectl name it, so that a pipeline's log greps for one name
        String line = NmstateKind.NNCP.objectName(policy.getName()) + " generation " + policy.getGeneration() + ": " + summary;
        if (terminal) {
            // the policy's name first: apply --wait on a directory waits for its policies in turn
            String drawn = policy.getName() + " " + bar(progress) + " " + counts + summary;
            out.print("\r" + drawn + " ".repeat(Math.max(0, lastWidth - drawn.length())));
            lastWidth = drawn.length();
            out.flush();
            return;
        }
        String types = summary.contains(":") ? summary.substring(0, summary.indexOf(':')) : summary;
        Instant now = clock.get();
        boolean conditionsChanged = !types.equals(lastTypes);
        if (!line.equals(lastLine) && (conditionsChanged || !now.isBefore(lastPrinted.plus(PLAIN_INTERVAL)))) {
            out.println(line);
            out.flush();
            lastLine = line;
            lastTypes = types;
            lastPrinted = now;
        }
    }

    /** Ends the redrawn line, so that what follows starts on a line of its own. */
    public void finish() {
        if (terminal && lastWidth > 0) {
            out.println();
            out.flush();
        }
    }

    private static String bar(PolicyWait.Progress progress) {
        int filled = progress.total() == 0 ? 0 : Math.min(BAR_WIDTH, progress.done() * BAR_WIDTH / progress.total());
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }
}
