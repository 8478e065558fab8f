package io.nmstream.nmstate.capture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed nmpolicy capture expression ({@code capture.ethernets | interfaces.state=="up"}), reduced to what ingest needs:
 * whether it is well-formed, where it is not, and which other captures it references.
 *
 * <p>The grammar follows nmpolicy: a pipeline of steps separated by {@code |}; the first step may be a capture reference
 * ({@code capture.<name>}), every step is a path optionally followed by {@code ==}, {@code !=} (filters) or {@code :=}
 * (replace) and a value (a quoted string, a number, {@code true}/{@code false} or another path); a path is identifiers
 * and list indices joined by dots.
 */
public final class CaptureExpression {

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

    private final Set<String> references;

    private CaptureExpression(Set<String> references) {
        this.references = Set.copyOf(references);
    }

    /** Names of the captures this expression reads ({@code capture.<name>...}). */
    public Set<String> references() {
        return references;
    }

    /** Parses {@code text}; throws with the position of the first error. */
    public static CaptureExpression parse(String text) throws SyntaxError {
        Parser parser = new Parser(text);
        parser.pipeline();
        return new CaptureExpression(parser.references);
    }

    private enum Kind { IDENTIFIER, NUMBER, STRING, DOT, EQUALS, NOT_EQUALS, REPLACE, PIPE, END }

    private record Token(Kind kind, String text, int position) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final Set<String> references = new LinkedHashSet<>();
        private int next;

        Parser(String text) throws SyntaxError {
            this.tokens = tokenize(text);
        }

        void pipeline() throws SyntaxError {
            if (peek().kind() == Kind.END) {
                throw new SyntaxError(0, "empty expression; expected a path such as interfaces.name==\"eth1\"");
            }
            step();
            while (peek().kind() == Kind.PIPE) {
                next++;
                step();
            }
            Token end = peek();
            if (end.kind() != Kind.END) {
                throw new SyntaxError(end.position(), "unexpected '" + end.text() + "'; expected '|', '==', '!=', ':=' or the end");
            }
        }

        private void step() throws SyntaxError {
            path();
            Kind operator = peek().kind();
            if (operator == Kind.EQUALS || operator == Kind.NOT_EQUALS || operator == Kind.REPLACE) {
                next++;
                value();
            }
        }

        private void value() throws SyntaxError {
            Token token = peek();
            switch (token.kind()) {
                case STRING, NUMBER -> next++;
                case IDENTIFIER -> path();
                default -> throw new SyntaxError(token.position(), describe(token) + "; expected a quoted string, a number or a path");
            }
        }

        private void path() throws SyntaxError {
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
