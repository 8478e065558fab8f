package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The commands that read the cluster, pointed where no Kafka answers (a port nothing listens on): each says so at once,
 * in one line that names the address and how to point it elsewhere, instead of retrying for its whole timeout, and exits
 * as documented, without a stack trace.
 */
class CommandsWithoutKafkaIT {

    private static final int CLOSED_PORT = LoopbackPorts.free();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"get nncp --timeout=5m, 1", "audit --timeout=5m, 1", "replay --timeout=5m, 1", "dead-letters --timeout=5m, 1",
        "wait nncp/mtu --for=condition=Available --timeout=5m, 2"})
    void saysNoKafkaAnswersAtTheAddressGiven(String command, int exitCode) {
        InProcessCommand.Result result = InProcessCommand.run(command + " --bootstrap-servers=127.0.0.1:" + CLOSED_PORT);

        assertThat(result.exit()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err()).isEqualTo("error: Kafka at 127.0.0.1:" + CLOSED_PORT + " refused the connection: is it running "
            + "there? Point at it with --bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void theErrorLineIsAllTheTerminalShows(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("stdout.txt");
        Process process = NmstreamJar.start(stdout, "get", "nncp", "--bootstrap-servers=127.0.0.1:" + CLOSED_PORT);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(Path.of(stdout + ".log"), StandardCharsets.UTF_8)).as("standard error, no client log above it")
            .isEqualTo("error: Kafka at 127.0.0.1:" + CLOSED_PORT + " refused the connection: is it running there? Point at it with "
                + "--bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS\n");
    }
}
