package io.nmstream.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * The {@code main} of an embedded broker's JVM: runs Kafka ({@code kafka.Kafka}) with the given server properties, and
 * stops it, cleanly, when the JVM that started it is gone.
 *
 * <p>That JVM ({@link EmbeddedKafka}) keeps the write end of this one's standard input, a pipe, open for as long as it
 * lives; the kernel closes it when that JVM ends for any reason, SIGKILL included, so end of file on standard input
 * means the owner is gone. A broker left running by a killed {@code nmstream up} would hold its ports and its data
 * directory's lock, and a restart of {@code up} could not start.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread ownerWatch = new Thread(() -> {
            awaitEndOfInput(System.in);
            System.err.println("nmstream: the process that started this embedded broker is gone; stopping the broker");
            // Kafka's own shutdown hook stops the broker as SIGTERM would
            System.exit(0);
        }, "embedded-kafka-owner-watch");
        ownerWatch.setDaemon(true);
        ownerWatch.start();
        kafka.Kafka.main(args);
    }

    /** Returns once {@code in} reaches end of file (or fails: the pipe is broken either way). */
    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the owner writes nothing; anything read is ignored
            }
        } catch (IOException e) {
            // a broken pipe: the owner is gone as well
        }
    }
}
