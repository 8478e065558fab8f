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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live projection's fold, which takes an input that arrives after inputs later in {@link FoldInput#ORDER} were
 * folded (several producers' records reach the projector out of event-time order) without reading the history again.
 *
 * <p>It keeps two folds: a settled one, of every input up to a horizon, and the live one: the settled fold with the
 * recent inputs (within {@link #WINDOW} of event time of the latest, at most {@link #MAX_RECENT} of them) folded on top.
 * A late input after the horizon takes its place among the recent ones, and the live fold becomes a copy of the settled
 * one with the recent inputs folded again on top, in fold order: exactly what a fold of every input in fold order gives,
 * at the cost of the recent inputs rather than the whole history. Only an input before the horizon needs the history
 * folded again ({@link #fold} says so; {@link #reset} and {@link #foldInOrder} do it). Not thread-safe, except
 * {@link #eventsApplied}.
 */
final class RewindableFold {

    /** Event time the recent inputs span: records that arrive later than this behind the latest cost a rebuild. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Most recent inputs kept, whatever their times: bounds the memory and the cost of folding them again. */
    static final int MAX_RECENT = 50_000;

    private StatusFold settled;
    /** The latest input folded into {@link #settled}; null when none is. */
    private FoldInput settledUpTo;
    /** The inputs folded on top of {@link #settled}, in fold order. */
    private ArrayDeque<FoldInput> recent = new ArrayDeque<>();
    /** The settled fold with the recent inputs on top; read by other threads only for {@link #eventsApplied}. */
    private volatile StatusFold live;
    /**
     * A status of every resource the recent inputs changed (more than that after inputs settle): wherever two live folds
     * on the same settled one differ, a recent input changed the resource in one of them.
     */
    private Map<String, ResourceStatus> touched = new HashMap<>();

    /** An empty fold. */
    RewindableFold() {
        reset();
    }

    /** Forgets every input folded, to fold the history again from the beginning. */
    void reset() {
        settled = new StatusFold();
        settledUpTo = null;
        recent = new ArrayDeque<>();
        touched = new HashMap<>();
        live = new StatusFold();
    }

    /**
     * Folds one input of the history, read in fold order, without collecting what changed.
     *
     * @throws IllegalArgumentException when {@code input} comes before an input already folded
     */
    void foldInOrder(FoldInput input) {
        FoldInput latest = latest();
        if (latest != null && FoldInput.ORDER.compare(input, latest) < 0) {
            throw new IllegalArgumentException("Input " + input.source() + " " + input.partition() + "@" + input.offset()
                + " comes before one already folded: the history must be read in fold order");
        }
        for (ResourceStatus status : input.applyTo(live)) {
            touched.put(StatusKey.of(status), status);
        }
        recent.addLast(input);
        settleOld();
    }

    /**
     * Folds {@code batch} (in fold order): on top when it comes after every input folded, else by folding the recent
     * inputs again with it.
     *
     * @return the statuses that now differ from the live fold's before, by {@link StatusKey}, deletions included; empty
     *     when an input of the batch comes before the horizon: then nothing was folded, and the history must be
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
        Map<String, ResourceStatus> changes = latest != null && FoldInput.ORDER.compare(earliest, latest) < 0
            ? foldAgainWith(batch) : foldOnTop(batch);
        settleOld();
        return Optional.of(changes);
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
        return recent.isEmpty() ? settledUpTo : recent.peekLast();
    }

    private Map<String, ResourceStatus> foldOnTop(List<FoldInput> batch) {
        Map<String, ResourceStatus> changes = new LinkedHashMap<>();
        for (FoldInput input : batch) {
            for (ResourceStatus status : input.applyTo(live)) {
                String key = StatusKey.of(status);
                changes.put(key, status);
                touched.put(key, status);
            }
            recent.addLast(input);
        }
        return changes;
    }

    private Map<String, ResourceStatus> foldAgainWith(List<FoldInput> batch) {
        List<FoldInput> inputs = new ArrayList<>(recent.size() + batch.size());
        inputs.addAll(recent);
        inputs.addAll(batch);
        inputs.sort(FoldInput.ORDER);
        StatusFold again = settled.copy();
        // the last change of each resource in the fold again: a deletion there is published as the fold made it
        Map<String, ResourceStatus> changedAgain = new HashMap<>();
        for (FoldInput input : inputs) {
            for (ResourceStatus status : input.applyTo(again)) {
                changedAgain.put(StatusKey.of(status), status);
            }
        }
        Map<String, ResourceStatus> changes = new LinkedHashMap<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, ResourceStatus> candidates = new HashMap<>(touched);
        candidates.putAll(changedAgain);
        candidates.forEach((key, any) -> {
            ResourceStatus before = live.status(any.getKind(), any.getName()).orElse(null);
            ResourceStatus after = again.status(any.getKind(), any.getName()).orElse(null);
            if (after != null && !after.equals(before)) {
                changes.put(key, after);
            } else if (after == null && before != null) {
                ResourceStatus deletion = changedAgain.get(key);
                changes.put(key, deletion != null && deletion.getDeleted() ? deletion
                    : ResourceStatus.newBuilder(before).setDeleted(true).setUpdatedAt(now).build());
            }
        });
        live = again;
        recent = new ArrayDeque<>(inputs);
        touched = changedAgain;
        return changes;
    }

    /** Folds into the settled fold the recent inputs that fell out of the window. */
    private void settleOld() {
        Instant horizon = recent.isEmpty() ? null : recent.peekLast().time().minus(WINDOW);
        while (!recent.isEmpty() && (recent.size() > MAX_RECENT || recent.peekFirst().time().isBefore(horizon))) {
            FoldInput oldest = recent.pollFirst();
            oldest.applyTo(settled);
            settledUpTo = oldest;
        }
        if (recent.isEmpty()) {
            touched.clear();
        }
    }
}
