package io.nmstream.nmstate;

/**
 * One reason an nmstate document cannot be applied, located precisely enough to fix it without guessing.
 *
 * @param path where in the document, as nmstate errors name it ({@code interfaces[1].vlan.id}); empty for the whole document
 * @param value the offending value as written (strings quoted, the rest as JSON), or null when the value is missing
 * @param allowed what would have been accepted, with a suggestion where one is near ("did you mean mtu?")
 */
public record StateProblem(String path, String value, String allowed) {

    /** One line: {@code interfaces[0].mtuu: "mtuu" is not allowed: unknown field of an interface; did you mean mtu?}. */
    public String message() {
        StringBuilder text = new StringBuilder(path.isEmpty() ? "document" : path).append(": ");
        text.append(value == null ? "missing" : value + " is not allowed");
        return text.append(": ").append(allowed).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
