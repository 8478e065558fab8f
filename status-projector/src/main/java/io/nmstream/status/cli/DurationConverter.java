package io.nmstream.status.cli;

import io.nmstream.common.config.Setting;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations on the command line as the settings do: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Setting<Duration> PARSER = Setting.duration("duration", Duration.ZERO, "a command-line duration");

    @Override
    public Duration convert(String value) {
        try {
            return PARSER.parser().apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is " + e.getMessage());
        }
    }
}
