package io.nmstream.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole lines appended to a file from an offset on, read as they come: each read takes only the bytes written
 * since the last one, however long the log of earlier runs has grown.
 */
final class AppendedLines {
    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private long position;

    AppendedLines(Path file, long offset) {
        this.file = file;
        this.position = offset;
    }

    /** Every whole line since the offset; a line still being written comes once its end is written. */
    List<String> read() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int read = channel.read(buffer.clear(), position); read > 0; read = channel.read(buffer.clear(), position)) {
                position += read;
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        lines.add(partialLine.toString(StandardCharsets.UTF_8));
                        partialLine.reset();
                    } else {
                        partialLine.write(b);
                    }
                }
            }
        }
        return lines;
    }
}
