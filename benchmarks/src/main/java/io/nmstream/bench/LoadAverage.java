package io.nmstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average (1, 5 and 15 minutes), printed with the figures: other work on the machine moves them. */
final class LoadAverage {

    private static final Path LOADAVG = Path.of("/proc/loadavg");

    private LoadAverage() {
    }

    /** "1.02 0.87 0.65", or "unknown" where the system does not say. */
    static String read() {
        try {
            String[] fields = Files.readString(LOADAVG, StandardCharsets.US_ASCII).trim().split("\\s+");
            return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
