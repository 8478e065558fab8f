package io.nmstream.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentJvmOptionsTest {

    @Test
    void argumentFileCommentsAndBlankLinesAreNotOptions() {
        assertThat(AgentJvmOptions.parse("# heap\n-Xmx64m   # bounded\n\n  -XX:+UseSerialGC -Xss512k\n#-Xint\n"))
            .containsExactly("-Xmx64m", "-XX:+UseSerialGC", "-Xss512k");
    }

    @Test
    void shippedOptionsBoundTheHeapAndChooseTheSerialCollector() {
        assertThat(AgentJvmOptions.shipped()).contains("-XX:+UseSerialGC").anyMatch(option -> option.startsWith("-Xmx"));
    }

    @Test
    void thisJvmStartsWithTheShippedOptions() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AgentJvmOptions.shipped());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
    }
}
