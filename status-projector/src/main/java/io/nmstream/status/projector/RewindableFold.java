package io.nmstream.status.projector;

import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.status.fold.StatusFold;
import io.nmstream.status.fold.StatusKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live projection's fold, which takes an input that arrives after inputs later in {@link FoldInput#ORDER} were
 * folded (several producers' records reach the projector out of event-time order) without reading the history again.
 *
 * <p>It remembers how to take back each recent input ({@link StatusFold.Undo}): those within {@link #WINDOW} of order
 * time of the latest, at most {@link #MAX_RECENT} of them. A late input after the older ones takes the recent inputs
 * that come after it back, latest first, and folds them again with it, in fold order: exactly what a fold of every input
 * in fold order gives, at the cost of the inputs it overtook. Only an input earlier than every recent one needs the
 * history folded again ({@link #fold} says so; {@link #reset} and {@link #foldInOrder} do it). Not thread-safe, except
 * {@link #eventsApplied}.
 */
final class RewindableFold {

    /** Order time the recent inputs span: records that arrive later than this behind the latest cost a rebuild. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Most recent inputs kept, whatever their times: bounds the memory an input's undo and decoded event take. */
    static final int MAX_RECENT = 50_000;

    /** A recent input and how to take it back. */
    private record Recent(FoldInput input, StatusFold.Undo undo) {
    }

    /** Every input folded so far, in fold order; read by other threads only for {@link #eventsApplied}. */
    private volatile StatusFold live = new StatusFold();
    /** The inputs that can be taken back, in fold order. */
    private ArrayDeque<Recent> recent = new ArrayDeque<>();
    /** The latest input that can no longer be taken back; null when there is none. */
    private FoldInput settledUpTo;

    /** Forgets every input folded, to fold the history again from the beginning. */
    void reset() {
        live = new StatusFold();
        recent = new ArrayDeque<>();
        settledUpTo = null;
    }

    /**
     * Folds one input of the history, in the order {@link PartitionMerge} hands it over, without collecting what changed.
     */
    void foldInOrder(FoldInput input) {
        foldOne(input, null);
        settleOld();
    }

    /**
     * Folds {@code batch}: on top when it comes after every input folded, else by taking back the recent inputs it
     * overtook and folding them again with it.
     *
     * @return the statuses that now differ from the live fold's before, by {@link StatusKey}, deletions included; empty
     *     when an input of the batch comes before every recent input, or when folding it again would put a partition's
     *     records out of offset order: then nothing was folded, and the history must be
     */
    Optional<Map<String, ResourceStatus>> fold(List<FoldInput> batch) {
        if (batch.isEmpty()) {
            return Optional.of(Map.of());
        }
        FoldInput earliest = Collections.min(batch, FoldInput.ORDER);
        if (settledUpTo != null && FoldInput.ORDER.compare(earliest, settledUpTo) < 0) {
            return Optional.empty();
        }
        FoldInput latest = latest();
        Optional<Map<String, ResourceStatus>> changes = latest != null && FoldInput.ORDER.compare(earliest, latest) < 0
            ? foldAgainWith(batch, earliest) : Optional.of(foldOnTop(batch));
        settleOld();
        return changes;
    }

    /** The live fold: every input folded so far, in fold order. */
    StatusFold live() {
        return live;
    }

    /** Events folded into the live fold. */
    long eventsApplied() {
        return live.eventsApplied();
    }

    private FoldInput latest() {
        return recent.isEmpty() ? settledUpTo : recent.peekLast().input();
    }

    private Map<String, ResourceStatus> foldOnTop(List<FoldInput> batch) {
        Map<String, ResourceStatus> changes = new LinkedHashMap<>();
        batch.forEach(input -> foldOne(input, changes));
        return changes;
    }

    /**
     * Folds {@code input} and keeps how to take it back; puts each status that changed in {@code changes} if given.
     *
     * <p>The recent inputs stay in fold order, which is what makes a late input's place among them its place in a fold
     * from the beginning. A reader orders each partition's records by the partition's clock, so they come in fold order;
     * an input that does not (ordered by its own time, behind a later one of its partition) is folded where the partition
     * puts it, as a merge of the partitions does, but no recent input can be taken back past it: they all settle, and an
     * input later than that needs the history.
     */
    private void foldOne(FoldInput input, Map<String, ResourceStatus> changes) {
        FoldInput latest = latest();
        boolean inOrder = latest == null || FoldInput.ORDER.compare(input, latest) > 0;
        StatusFold.Step step = input.stepIn(live);
        StatusFold.Undo undo = step.undo();
        List<ResourceStatus> changed = step.fold();
        if (changes != null) {
            changed.forEach(status -> changes.put(StatusKey.of(status), status));
        }
        if (inOrder) {
            recent.addLast(new Recent(input, undo));
        } else {
            recent.clear();
            settledUpTo = latest;
        }
    }

    /** Whether {@code inputs}, in fold order, keep each partition's records in offset order, as a merge of partitions does. */
    private static boolean keepsPartitionOrder(List<FoldInput> inputs) {
        Map<String, Long> lastOffsets = new HashMap<>();
        for (FoldInput input : inputs) {
            Long last = lastOffsets.put(input.source() + "-" + input.partition(), input.offset());
            if (last != null && last > input.offset()) {
                return false;
            }
        }
        return true;
    }

    private Optional<Map<String, ResourceStatus>> foldAgainWith(List<FoldInput> batch, FoldInput earliest) {
        // the recent inputs the batch goes before, latest first
        List<Recent> overtaken = new ArrayList<>();
        for (Iterator<Recent> latestFirst = recent.descendingIterator(); latestFirst.hasNext(); ) {
            Recent taken = latestFirst.next();
            if (FoldInput.ORDER.compare(taken.input(), earliest) < 0) {
                break;
            }
            overtaken.add(taken);
        }
        List<FoldInput> again = new ArrayList<>(overtaken.size() + batch.size());
        overtaken.forEach(taken -> again.add(taken.input()));
        again.addAll(batch);
        again.sort(FoldInput.ORDER);
        if (!keepsPartitionOrder(again)) {
            // a partition stamped out of order: only a merge of the partitions from the beginning folds it as replay does
            return Optional.empty();
        }
        overtaken.forEach(taken -> recent.pollLast());
        // only what those inputs and the batch's touch can change: their statuses now, before anything is taken back
        Map<String, StatusFold.Resource> touched = new LinkedHashMap<>();
        overtaken.forEach(taken -> taken.undo().touched().forEach(resource -> touched.putIfAbsent(resource.key(), resource)));
        batch.forEach(input -> input.stepIn(live).touched().forEach(resource -> touched.putIfAbsent(resource.key(), resource)));
        Map<String, ResourceStatus> before = new HashMap<>();
        touched.forEach((key, resource) -> live.status(resource.kind(), resource.name()).ifPresent(status -> before.put(key, status)));

        overtaken.forEach(taken -> taken.undo().undo());
        // the last change of each resource: a deletion is published as the fold made it
        Map<String, ResourceStatus> changedAgain = new HashMap<>();
        again.forEach(input -> foldOne(input, changedAgain));

        Map<String, ResourceStatus> changes = new LinkedHashMap<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        touched.forEach((key, resource) -> {
            ResourceStatus was = before.get(key);
            ResourceStatus is = live.status(resource.kind(), resource.name()).orElse(null);
            if (is != null && !is.equals(was)) {
                changes.put(key, is);
            } else if (is == null && was != null) {
                ResourceStatus deletion = changedAgain.get(key);
                changes.put(key, deletion != null && deletion.getDeleted() ? deletion
                    : ResourceStatus.newBuilder(was).setDeleted(true).setUpdatedAt(now).build());
            }
        });
        return Optional.of(changes);
    }

    /** Forgets how to take back the recent inputs that fell out of the window: they can no longer be overtaken. */
    private void settleOld() {
        Instant horizon = recent.isEmpty() ? null : recent.peekLast().input().orderTime().minus(WINDOW);
        while (!recent.isEmpty() && (recent.size() > MAX_RECENT || recent.peekFirst().input().orderTime().isBefore(horizon))) {
            settledUpTo = recent.pollFirst().input();
        }
    }
}
