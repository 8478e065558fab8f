package io.nmstream.ingest.http;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.config.Setting;
import io.nmstream.ingest.IngestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens the policy HTTP API accepts, each standing for a user: the audit records that user as the author of
 * what a request publishes. Tokens come from a file of {@code user:token} lines ({@code ingest.http.tokens.file}) and
 * from {@code ingest.http.token} (an environment variable or a setting), never from the client's own say-so.
 *
 * <p>Only SHA-256 digests of the tokens are kept, and a presented token is compared with every one of them in constant
 * time, so that neither memory nor response time tells a token.
 */
public final class ApiTokens {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);

    private record Entry(byte[] digest, String user) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Tokens and their users, {@code token -> user}. */
    public static ApiTokens of(Map<String, String> usersByToken) {
        List<Entry> entries = new ArrayList<>();
        usersByToken.forEach((token, user) -> entries.add(new Entry(digest(token), user)));
        return new ApiTokens(entries);
    }

    /**
     * The tokens {@code config} names: those of {@code ingest.http.tokens.file} and {@code ingest.http.token}.
     *
     * @throws ConfigException naming the setting (and the file's line) when a token cannot be used
     */
    public static ApiTokens configured(Config config) {
        Map<String, String> usersByToken = new LinkedHashMap<>();
        String file = config.get(IngestSettings.HTTP_TOKENS_FILE);
        if (!file.isEmpty()) {
            usersByToken.putAll(readFile(Path.of(file), IngestSettings.HTTP_TOKENS_FILE));
        }
        String token = config.get(IngestSettings.HTTP_TOKEN).trim();
        if (!token.isEmpty()) {
            String user = config.get(IngestSettings.HTTP_TOKEN_USER);
            String known = usersByToken.putIfAbsent(token, user);
            if (known != null && !known.equals(user)) {
                throw new ConfigException("Setting '" + IngestSettings.HTTP_TOKEN.name() + "' has the token of user '" + known + "' in "
                    + file + ": one token must stand for one user");
            }
        }
        return of(usersByToken);
    }

    /**
     * The {@code user:token} lines of {@code file}; blank lines and lines starting with {@code #} are skipped.
     *
     * @param setting the setting that named the file, for messages
     */
    public static Map<String, String> readFile(Path file, Setting<String> setting) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Setting '" + setting.name() + "' (environment variable " + setting.envVar() + ") names " + file
                + ", which cannot be read: " + e);
        }
        warnIfOthersMayRead(file);
        Map<String, String> usersByToken = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // the messages name the file and line, never the token
            String where = file + " line " + (i + 1);
            int colon = line.indexOf(':');
            String user = colon < 0 ? "" : line.substring(0, colon).strip();
            String token = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (user.isEmpty() || token.isEmpty()) {
                throw new ConfigException(where + " (" + setting.name() + ") is not a user:token line");
            }
            if (token.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(where + " (" + setting.name() + "): the token of user '" + user + "' has white space in it");
            }
            String other = usersByToken.putIfAbsent(token, user);
            if (other != null) {
                throw new ConfigException(where + " (" + setting.name() + "): user '" + user + "' has the same token as user '" + other
                    + "'; one token must stand for one user");
            }
        }
        return usersByToken;
    }

    private static void warnIfOthersMayRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("The token file {} may be read by other users than its owner (chmod 600 it)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    /** True when no token is known: the API must not run. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The user {@code token} stands for; empty when it is no known token. */
    public Optional<String> user(String token) {
        byte[] presented = digest(token);
        String user = null;
        // every entry is compared, whichever matches: the time taken does not depend on which, or whether, one does
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented)) {
                user = entry.user();
            }
        }
        return Optional.ofNullable(user);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
