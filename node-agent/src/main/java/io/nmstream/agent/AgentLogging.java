package io.nmstream.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.ScanException;
import ch.qos.logback.core.util.OptionHelper;

/**
 * The logging of the agent jar, set up in code: every line to standard error with the command's context (policy,
 * generation, node, command id), the Kafka client's and dbus-java's own messages from WARN up, the level of the rest
 * from {@code NMSTREAM_LOG_LEVEL} (INFO when unset), as the product's logback.xml does.
 *
 * <p>In code rather than in a logback.xml because reading XML loads an XML parser and logback's configuration model,
 * some 500 classes, into a process that runs on every host and whose resident memory is one of its figures. Logback
 * finds this class as a service and, because it says so, looks for no configuration file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class AgentLogging extends ContextAwareBase implements Configurator {

    /** The product's pattern (distribution's logback.xml). */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} policy=%X{policy:--} generation=%X{generation:--} "
        + "node=%X{node:--} commandId=%X{commandId:--} - %msg%n";
    /** The level of everything but the libraries below, resolved by logback from the environment as a logback.xml would. */
    static final String LEVEL = "${NMSTREAM_LOG_LEVEL:-INFO}";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(context));
        root.addAppender(stderr);
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        context.getLogger("org.freedesktop.dbus").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** NMSTREAM_LOG_LEVEL's level; INFO when it is unset or names no level (as logback reads a level it does not know). */
    private static Level level(LoggerContext context) {
        try {
            return Level.toLevel(OptionHelper.substVars(LEVEL, context), Level.INFO);
        } catch (ScanException e) {
            return Level.INFO;
        }
    }
}
