package io.nmstream.common.cli;

import io.nmstream.common.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations on the command line as the settings do ({@link Durations}): {@code 300ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 7d} or ISO-8601. The {@code nmstream} command registers it for every {@link Duration} option.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is " + e.getMessage());
        }
    }

    /**
     * For flags that have always taken a number of seconds ({@code node apply --timeout 120}, as nmstatectl's): a bare
     * number is seconds, anything else a duration as above.
     */
    public static final class SecondsByDefault implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            String trimmed = value.trim();
            if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
                return new DurationConverter().convert(trimmed + "s");
            }
            return new DurationConverter().convert(value);
        }
    }
}
