package io.nmstream.nmstate.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed nmpolicy capture expression ({@code capture.ethernets | interfaces.state=="up"}): whether it is well-formed,
 * where it is not, which other captures it reads, and the steps a node resolves it with ({@link CaptureResolver}).
 *
 * <p>The grammar follows nmpolicy: a pipeline of steps separated by {@code |}; the first step may be a capture reference
 * ({@code capture.<name>}) whose state the next steps read instead of the host's; every other step is a path optionally
 * followed by {@code ==}, {@code !=} (filters) or {@code :=} (replace) and a value (a quoted string, a number,
 * {@code true}/{@code false} or a path into another capture, {@code capture.<name>.<path>}); a path is identifiers and
 * list indices joined by dots.
 */
public final class CaptureExpression {

    /** What a step does with the state it reads. */
    public enum Operator {
        /** {@code path}: keeps only what lies under the path. */
        PATH,
        /** {@code path==value}: keeps the list entries whose field at the path equals the value. */
        EQUALS,
        /** {@code path!=value}: keeps the list entries whose field at the path differs from the value. */
        NOT_EQUALS,
        /** {@code path:=value}: the whole state, with the field at the path set to the value. */
        REPLACE
    }

    /** The right-hand side of a filter or a replace. */
    public sealed interface Value permits Literal, CapturePath {
    }

    /** A quoted string, a whole number or a boolean, as the JSON value it is compared with or written as. */
    public record Literal(JsonNode value) implements Value {
    }

    /**
     * A value read from another capture: {@code capture.<capture>.<path>}.
     *
     * @param capture the capture read
     * @param path field names and list indices inside that capture's state; empty for the whole state
     */
    public record CapturePath(String capture, List<String> path) implements Value {

        public CapturePath {
            path = List.copyOf(path);
        }

        @Override
        public String toString() {
            return "capture." + capture + (path.isEmpty() ? "" : "." + String.join(".", path));
        }
    }

    /**
     * One step of the pipeline.
     *
     * @param path field names and list indices the step reads
     * @param operator what it does there
     * @param value the value compared or written; null for {@link Operator#PATH}
     */
    public record Step(List<String> path, Operator operator, Value value) {

        public Step {
            path = List.copyOf(path);
        }
    }

    /** A syntax error at a zero-based character position of the expression. */
    public static final class SyntaxError extends Exception {
        private final int position;

        SyntaxError(int position, String message) {
            super(message);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    private final String text;
    private final Set<String> references;
    private final String input;
    private final List<Step> steps;

    private CaptureExpression(String text, Set<String> references, String input, List<Step> steps) {
        this.text = text;
        this.references = Set.copyOf(references);
        this.input = input;
        this.steps = List.copyOf(steps);
    }

    /** Names of the captures this expression reads ({@code capture.<name>...}). */
    public Set<String> references() {
        return references;
    }

    /** The capture piped into the first step ({@code capture.<name> | ...}); null when the steps read the host's state. */
    public String input() {
        return input;
    }

    /** The steps, in pipeline order; empty when the expression is only a capture reference. */
    public List<Step> steps() {
        return steps;
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return text;
    }

    /** Parses {@code text}; throws with the position of the first error. */
    public static CaptureExpression parse(String text) throws SyntaxError {
        Parser parser = new Parser(text);
        parser.pipeline();
        return new CaptureExpression(text.trim(), parser.references, parser.input, parser.steps);
    }

    private enum Kind { IDENTIFIER, NUMBER, STRING, DOT, EQUALS, NOT_EQUALS, REPLACE, PIPE, END }

    private record Token(Kind kind, String text, int position) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final Set<String> references = new LinkedHashSet<>();
        private final List<Step> steps = new ArrayList<>();
        private String input;
        private int next;

        Parser(String text) throws SyntaxError {
            this.tokens = tokenize(text);
        }

        void pipeline() throws SyntaxError {
            if (peek().kind() == Kind.END) {
                throw new SyntaxError(0, "empty expression; expected a path such as interfaces.name==\"eth1\"");
            }
            step(true);
            while (peek().kind() == Kind.PIPE) {
                next++;
                step(false);
            }
            Token end = peek();
            if (end.kind() != Kind.END) {
                throw new SyntaxError(end.position(), "unexpected '" + end.text() + "'; expected '|', '==', '!=', ':=' or the end");
            }
        }

        /**
         * One step. Only the first may start with a capture reference: its capture is the pipeline's input, and what
         * follows the capture name is the step's path ({@code capture.eths.interfaces.state=="up"}, as nmpolicy's
         * documentation writes it, filters capture {@code eths} like {@code capture.eths | interfaces.state=="up"}).
         */
        private void step(boolean first) throws SyntaxError {
            int position = peek().position();
            List<String> path = path();
            Kind kind = peek().kind();
            boolean operator = kind == Kind.EQUALS || kind == Kind.NOT_EQUALS || kind == Kind.REPLACE;
            if (path.get(0).equals("capture")) {
                if (!first) {
                    throw new SyntaxError(position, "a capture reference can only start the expression, before the first '|'");
                }
                input = path.get(1);
                path = path.subList(2, path.size());
                if (path.isEmpty()) {
                    if (operator) {
                        throw new SyntaxError(peek().position(), "'" + peek().text() + "' needs a path inside capture " + input
                            + "; expected capture." + input + ".<path>" + peek().text() + "...");
                    }
                    return;
                }
            }
            if (!operator) {
                steps.add(new Step(path, Operator.PATH, null));
                return;
            }
            next++;
            steps.add(new Step(path, kind == Kind.EQUALS ? Operator.EQUALS : kind == Kind.NOT_EQUALS ? Operator.NOT_EQUALS
                : Operator.REPLACE, value()));
        }

        private Value value() throws SyntaxError {
            Token token = peek();
            switch (token.kind()) {
                case STRING -> {
                    next++;
                    return new Literal(TextNode.valueOf(token.text().substring(1, token.text().length() - 1)));
                }
                case NUMBER -> {
                    next++;
                    try {
                        return new Literal(LongNode.valueOf(Long.parseLong(token.text())));
                    } catch (NumberFormatException e) {
                        throw new SyntaxError(token.position(), "number " + token.text() + " is too large");
                    }
                }
                case IDENTIFIER -> {
                    List<String> path = path();
                    if (path.size() == 1 && (path.get(0).equals("true") || path.get(0).equals("false"))) {
                        return new Literal(BooleanNode.valueOf(Boolean.parseBoolean(path.get(0))));
                    }
                    if (!path.get(0).equals("capture")) {
                        throw new SyntaxError(token.position(), "'" + String.join(".", path) + "' is not a value; expected a quoted string,"
                            + " a number, true, false or a path into a capture (capture.<name>.<path>)");
                    }
                    return new CapturePath(path.get(1), path.subList(2, path.size()));
                }
                default -> throw new SyntaxError(token.position(), describe(token) + "; expected a quoted string, a number or a path");
            }
        }

        private List<String> path() throws SyntaxError {
            Token first = peek();
            if (first.kind() != Kind.IDENTIFIER) {
                throw new SyntaxError(first.position(), describe(first) + "; expected a path such as interfaces.name");
            }
            next++;
            List<String> parts = new ArrayList<>();
            parts.add(first.text());
            while (peek().kind() == Kind.DOT) {
                Token dot = tokens.get(next++);
                Token part = peek();
                if (part.kind() != Kind.IDENTIFIER && part.kind() != Kind.NUMBER) {
                    throw new SyntaxError(part.position() == dot.position() + 1 ? part.position() : dot.position() + 1,
                        describe(part) + " after '.'; expected a field name or a list index");
                }
                next++;
                parts.add(part.text());
            }
            if (first.text().equals("capture")) {
                if (parts.size() < 2) {
                    throw new SyntaxError(first.position(), "'capture' must be followed by '.<capture name>'");
                }
                references.add(parts.get(1));
            }
            return parts;
        }

        private Token peek() {
            return tokens.get(next);
        }

        private static String describe(Token token) {
            return token.kind() == Kind.END ? "unexpected end of expression" : "unexpected '" + token.text() + "'";
        }

        private static List<Token> tokenize(String text) throws SyntaxError {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"') {
                    int close = text.indexOf('"', i + 1);
                    if (close < 0) {
                        throw new SyntaxError(i, "string starting here is not closed with '\"'");
                    }
                    out.add(new Token(Kind.STRING, text.substring(i, close + 1), i));
                    i = close + 1;
                } else if (c == '.') {
                    out.add(new Token(Kind.DOT, ".", i++));
                } else if (c == '|') {
                    out.add(new Token(Kind.PIPE, "|", i++));
                } else if (text.startsWith("==", i)) {
                    out.add(new Token(Kind.EQUALS, "==", i));
                    i += 2;
                } else if (text.startsWith("!=", i)) {
                    out.add(new Token(Kind.NOT_EQUALS, "!=", i));
                    i += 2;
                } else if (text.startsWith(":=", i)) {
                    out.add(new Token(Kind.REPLACE, ":=", i));
                    i += 2;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '-')) {
                        i++;
                    }
                    String word = text.substring(start, i);
                    out.add(new Token(word.chars().allMatch(Character::isDigit) ? Kind.NUMBER : Kind.IDENTIFIER, word, start));
                } else {
                    throw new SyntaxError(i, "unexpected character '" + c + "'");
                }
            }
            out.add(new Token(Kind.END, "", text.length()));
            return out;
        }
    }
}
