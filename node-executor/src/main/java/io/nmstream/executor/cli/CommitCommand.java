package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.NetworkBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nmstream node commit [CHECKPOINT]}: Keep the changes of a pending apply (--no-commit) and discard its checkpoint. */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = "Keep the changes of a pending apply (--no-commit) and discard its checkpoint.")
public final class CommitCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CHECKPOINT", description = "Checkpoint path; default: the latest one.")
    String checkpoint;

    @Override
    public Integer call() {
        try (NetworkBackend backend = parent.backend()) {
            Checkpoint target = CheckpointCommands.find(backend, checkpoint);
            backend.commit(target);
            spec.commandLine().getOut().println("Committed checkpoint " + target + ".");
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BackendException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
