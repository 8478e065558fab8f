package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one manifest document, so that a user sees all of them at once rather than one per attempt.
 */
public final class Problems {

    private static final int MAX_VALUE_CHARS = 80;

    private final String source;
    private final int document;
    private final List<ManifestProblem> found = new ArrayList<>();

    public Problems(String source, int document) {
        this.source = source;
        this.document = document;
    }

    /** Records that {@code value} at {@code path} is not acceptable; {@code allowed} says what is. */
    public void add(String path, JsonNode value, String allowed) {
        found.add(new ManifestProblem(source, document, path, render(value), allowed));
    }

    /** Records a problem whose value is already text (a fragment of an expression, a computed sum). */
    public void addText(String path, String value, String allowed) {
        found.add(new ManifestProblem(source, document, path, value, allowed));
    }

    /** Records that a required field at {@code path} is missing. */
    public void missing(String path, String allowed) {
        found.add(new ManifestProblem(source, document, path, null, allowed));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<ManifestProblem> list() {
        return List.copyOf(found);
    }

    /** The value as the user wrote it: strings quoted, everything else as JSON, long values shortened. */
    static String render(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        String text = value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
    }

    /** {@code parent.child}, or {@code child} at the root. */
    public static String field(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    /** {@code parent[index]}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
