package io.nmstream.common.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The policy, generation, node and command id of one piece of work, put into SLF4J's MDC while the work runs so that
 * every log line it writes carries them ({@code %X{policy}} etc. in a logback pattern). Closing puts back what the MDC
 * held before, so contexts nest: an inner one (the applier) does not strip the outer one (the command processor).
 */
public final class LogContext implements AutoCloseable {

    public static final String POLICY = "policy";
    public static final String GENERATION = "generation";
    public static final String NODE = "node";
    public static final String COMMAND_ID = "commandId";

    /** The logback pattern fragment that prints the context; a field not set prints as "-". */
    public static final String PATTERN = "policy=%X{policy:--} generation=%X{generation:--} node=%X{node:--}"
        + " commandId=%X{commandId:--}";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext(Map<String, String> values) {
        values.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            put(key, value);
        });
    }

    /** Puts the four fields of one command's work into the MDC; a null field is left out. */
    public static LogContext of(String policy, long generation, String node, String commandId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(POLICY, policy);
        values.put(GENERATION, String.valueOf(generation));
        values.put(NODE, node);
        values.put(COMMAND_ID, commandId);
        return new LogContext(values);
    }

    @Override
    public void close() {
        previous.forEach(LogContext::put);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
