package io.nmstream.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Answers a command typed at the wrong level with where it is: {@code nmstream validate -f x.yaml} says "did you mean
 * nmstream policy validate?", where picocli's spelling suggestions named unrelated top-level commands ("nmstream
 * status or nmstream dead-letters"). Every other parameter error goes to picocli's own handler.
 */
final class MisplacedCommandHandler implements IParameterExceptionHandler {

    private final CommandLine root;
    private final IParameterExceptionHandler fallback;

    MisplacedCommandHandler(CommandLine root, IParameterExceptionHandler fallback) {
        this.root = root;
        this.fallback = fallback;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine command = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
            && !command.getSubcommands().isEmpty()) {
            String word = unmatched.getUnmatched().get(0);
            List<String> elsewhere = new ArrayList<>();
            collect(root, word, command, elsewhere);
            if (!elsewhere.isEmpty()) {
                command.getErr().println("error: " + command.getCommandName() + " has no command '" + word + "'; did you mean "
                    + String.join(" or ", elsewhere) + "?");
                command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
                return command.getCommandSpec().exitCodeOnInvalidInput();
            }
        }
        return fallback.handleParseException(ex, args);
    }

    /** The qualified names of the commands called {@code word} under {@code parent}, except under {@code typedUnder}. */
    private static void collect(CommandLine parent, String word, CommandLine typedUnder, List<String> out) {
        // a command with aliases is in the map once per name
        for (CommandLine sub : new LinkedHashSet<>(parent.getSubcommands().values())) {
            if (sub.getParent() != parent) {
                continue;
            }
            if (parent != typedUnder && sub.getCommandSpec().names().contains(word)) {
                out.add(sub.getCommandSpec().qualifiedName());
            }
            collect(sub, word, typedUnder, out);
        }
    }
}
