package io.nmstream.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders measurements as the fixed-width table the bench prints on the terminal. */
public final class ResultTable {

    private static final List<String> HEADERS = List.of("scenario", "size", "nmstream", "baseline", "baseline/nmstream", "runs", "target",
        "met?");

    private ResultTable() {
    }

    /** The table, one line per measurement, columns padded to their widest cell. */
    public static String render(List<Measurement> measurements) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Measurement m : measurements) {
            rows.add(List.of(m.scenario(), m.size(), figure(m.nmstream(), m.unit()), figure(m.baseline(), m.unit()), number(m.ratio()),
                runs(m.runs()), m.target(), m.outcome().shown()));
        }
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            appendRow(out, rows.get(r), widths);
            if (r == 0) {
                List<String> rule = new ArrayList<>();
                for (int width : widths) {
                    rule.add("-".repeat(width));
                }
                appendRow(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", cells.get(i)));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** "median of 3" for a median, "1" for a single reading, "-" when nothing was measured. */
    static String runs(int runs) {
        if (runs < 1) {
            return "-";
        }
        return runs == 1 ? "1" : "median of " + runs;
    }

    /** A figure with its unit, or "-" when not measured. */
    static String figure(double value, String unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return number(value) + (unit.isEmpty() ? "" : " " + unit);
    }

    /** Three significant decimals for small numbers, none for large ones. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
