package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The commands that read the cluster, pointed where no Kafka answers (a port nothing listens on): each says so in one
 * line that names the address and how to point it elsewhere, within seconds instead of its whole timeout, and exits as
 * documented, without a stack trace.
 */
class CommandsWithoutKafkaIT {

    private static int closedPort;

    @BeforeAll
    static void closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"get nncp --timeout=5m, 1", "audit --timeout=5m, 1", "replay --timeout=5m, 1", "dead-letters --timeout=5m, 1",
        "wait nncp/mtu --for=condition=Available --timeout=5m, 2"})
    void saysNoKafkaAnswersAtTheAddressGiven(String command, int exitCode) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = NmstreamCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] args = (command + " --bootstrap-servers=127.0.0.1:" + closedPort).split(" ");

        int exit = cli.execute(args);

        assertThat(exit).as(err.toString()).isEqualTo(exitCode);
        assertThat(err.toString()).startsWith("error: Kafka at 127.0.0.1:" + closedPort + " did not answer within 5 s")
            .contains("is it running there? Point at it with --bootstrap-servers or NMSTREAM_KAFKA_BOOTSTRAP_SERVERS")
            .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }
}
