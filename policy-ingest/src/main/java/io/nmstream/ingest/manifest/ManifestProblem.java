package io.nmstream.ingest.manifest;

/**
 * One reason a manifest cannot be published, located precisely enough to fix it without guessing.
 *
 * @param source the file, HTTP request or Kubernetes object the manifest came from
 * @param document zero-based index of the YAML/JSON document within the source; {@value #WHOLE_SOURCE} when the source as a
 *     whole cannot be read (a file too large, not UTF-8, a dangling link)
 * @param path where in the document, in the notation users read in nmstate errors ({@code spec.desiredState.interfaces[1].vlan.id});
 *     empty when the document as a whole is at fault
 * @param value the offending value as written, or {@code null} when the value is missing
 * @param allowed what would have been accepted
 */
public record ManifestProblem(String source, int document, String path, String value, String allowed) {

    /** The {@link #document} of a problem of the whole source. */
    public static final int WHOLE_SOURCE = -1;

    /** A problem of the source as a whole: {@code reason} says what is wrong with it ("is a dangling symbolic link to x"). */
    public static ManifestProblem ofSource(String source, String reason) {
        return new ManifestProblem(source, WHOLE_SOURCE, "", null, reason);
    }

    /** One line for a terminal or a log: {@code nncp.yaml document[0] spec.maxUnavailable: "0%" is not allowed: ...}. */
    public String message() {
        if (document == WHOLE_SOURCE) {
            return source + ": " + allowed;
        }
        StringBuilder text = new StringBuilder();
        text.append(source).append(" document[").append(document).append(']');
        if (!path.isEmpty()) {
            text.append(' ').append(path);
        }
        text.append(": ");
        if (value == null) {
            text.append("missing");
        } else {
            text.append(value).append(" is not allowed");
        }
        return text.append(": ").append(allowed).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
