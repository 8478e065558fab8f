package io.nmstream.ingest.manifest;

/**
 * One reason a manifest cannot be published, located precisely enough to fix it without guessing.
 *
 * @param source the file, HTTP request or Kubernetes object the manifest came from
 * @param document zero-based index of the YAML/JSON document within the source
 * @param path where in the document, in the notation users read in nmstate errors ({@code spec.desiredState.interfaces[1].vlan.id});
 *     empty when the document as a whole is at fault
 * @param value the offending value as written, or {@code null} when the value is missing
 * @param allowed what would have been accepted
 */
public record ManifestProblem(String source, int document, String path, String value, String allowed) {

    /** One line for a terminal or a log: {@code nncp.yaml document[0] spec.maxUnavailable: "0%" is not allowed: ...}. */
    public String message() {
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
