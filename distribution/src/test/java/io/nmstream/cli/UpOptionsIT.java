package io.nmstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.embedded.LoopbackPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nmstream up} given a flag value it cannot run with says so in one line, naming the flag and the value, and starts
 * nothing: no broker, not even its data directory. A command timeout the reconciler refuses used to stop up only after
 * its broker, registry and projector had started; a port out of range and an address of another host printed a stack
 * trace or "in use".
 */
class UpOptionsIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--kafka-port=70000 | --kafka-port 70000 is not a port: expected 1-65535 (0: any free port)",
        "--http-port=-1 | --http-port -1 is not a port: expected 1-65535 (0: any free port)",
        "--http-host=192.0.2.77 | --http-host 192.0.2.77 is not an address of this host",
        "--http-host=no-such-host.invalid | --http-host no-such-host.invalid is not a known host or address",
        "--command-timeout=500ms | --command-timeout 500ms: must be at least 1000ms",
        "--simulated-nodes=-3 | --simulated-nodes and --simulated-mtu-limit must not be negative"})
    void refusesTheFlagByNameAndStartsNothing(String flag, String message) throws Exception {
        Path dataDir = dir.resolve("data");
        List<String> args = new ArrayList<>(List.of("up", "--data-dir", dataDir.toString()));
        for (String port : List.of("--kafka-port", "--registry-port", "--http-port")) {
            if (!flag.startsWith(port + "=")) {
                args.addAll(List.of(port, Integer.toString(LoopbackPorts.free())));
            }
        }
        args.add(flag);
        Path out = Files.createTempDirectory(dir, "up-");

        NmstreamJar.Run up = NmstreamJar.run(out, 60, args.toArray(String[]::new));

        assertThat(up.exitCode()).isEqualTo(2);
        assertThat(up.stdout()).isEmpty();
        assertThat(Files.readString(Path.of(out.resolve("stdout.txt") + ".log"), StandardCharsets.UTF_8))
            .isEqualTo("nmstream up: " + message + "; nothing was started\n");
        assertThat(dataDir).doesNotExist();
    }
}
