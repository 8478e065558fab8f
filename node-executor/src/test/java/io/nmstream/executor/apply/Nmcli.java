package io.nmstream.executor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code nmcli} against a sandbox's NetworkManager, as a user would inspect it. */
public final class Nmcli {

    private Nmcli() {
    }

    /** The trimmed output of {@code nmcli args}, which must succeed. */
    public static String run(NetworkManagerSandbox sandbox, String... args) {
        List<String> command = new ArrayList<>(List.of("nmcli"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(sandbox.clientEnvironment());
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The names of every profile NetworkManager holds (nmstream names a profile after its interface). */
    public static List<String> profileNames(NetworkManagerSandbox sandbox) {
        String out = run(sandbox, "-g", "NAME", "connection", "show");
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
