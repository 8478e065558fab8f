package io.nmstream.nmstate;

import java.util.List;

/**
 * The outcome of parsing a desired state: the typed state and every problem found in it. Where a template or a wrong
 * value stood, the typed field is left null; the state is therefore complete only when {@link #problems()} is empty and
 * the document had no templates.
 *
 * @param state the typed state, as far as it could be read
 * @param problems every problem, in document order
 */
public record ParsedState(NetworkState state, List<StateProblem> problems) {

    public ParsedState {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The state; throws an {@link InvalidStateException} listing every problem when there is any. */
    public NetworkState orThrow() {
        if (!problems.isEmpty()) {
            throw new InvalidStateException(problems);
        }
        return state;
    }
}
