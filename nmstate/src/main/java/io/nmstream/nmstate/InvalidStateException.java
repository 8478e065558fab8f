package io.nmstream.nmstate;

import java.util.List;

/**
 * A desired state that cannot be applied as written. The message names each field and value at fault;
 * {@link #problems()} lists them one by one when the parser found them (empty for a problem found against a host).
 */
public class InvalidStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<StateProblem> problems;

    public InvalidStateException(String message) {
        super(message);
        this.problems = List.of();
    }

    public InvalidStateException(List<StateProblem> problems) {
        super(String.join("; ", problems.stream().map(StateProblem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<StateProblem> problems() {
        return problems;
    }
}
