package io.nmstream.executor.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the text a node command is given: a file, or the standard input for {@code -}. */
final class CommandInput {

    /** A file that cannot be read; the message names it and says why, in the user's terms. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private CommandInput() {
    }

    /** The UTF-8 text of {@code file}, or of the standard input when it is {@code -}. */
    static String read(String file) throws Unreadable {
        try {
            return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new Unreadable("Cannot read " + file + ": no such file");
        } catch (MalformedInputException e) {
            throw new Unreadable("Cannot read " + file + ": not UTF-8 text (an nmstate document is YAML or JSON)");
        } catch (IOException e) {
            throw new Unreadable("Cannot read " + file + ": " + e.getMessage());
        }
    }
}
