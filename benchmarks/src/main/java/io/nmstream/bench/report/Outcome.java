package io.nmstream.bench.report;

/** Whether a measurement met its target: met, missed, or not judged (no target, or the scenario was skipped). */
public enum Outcome {
    MET("yes"), MISSED("NO"), NOT_JUDGED("-"), SKIPPED("skipped");

    private final String shown;

    Outcome(String shown) {
        this.shown = shown;
    }

    /** How the table shows it. */
    public String shown() {
        return shown;
    }

    /** MET when {@code met}, otherwise MISSED. */
    public static Outcome of(boolean met) {
        return met ? MET : MISSED;
    }
}
