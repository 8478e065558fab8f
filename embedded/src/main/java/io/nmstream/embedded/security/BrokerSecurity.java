package io.nmstream.embedded.security;

import io.nmstream.common.kafka.ClusterSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * How an embedded broker is secured: one {@code SASL_SSL} listener with a certificate from a test CA, SCRAM-SHA-512
 * users with random passwords, and ACLs enforced ({@code StandardAuthorizer}, nothing allowed that no ACL allows).
 * {@value #ADMIN} is the only super user; every other user can do only what ACLs grant it.
 *
 * @param tls the broker's certificate and the trust store its clients use
 * @param passwords every SCRAM user's password, {@value #ADMIN} included
 */
public record BrokerSecurity(TestCertificateAuthority tls, Map<String, String> passwords) {

    /** The super user, also used between the broker and its controller. */
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";

    public BrokerSecurity {
        passwords = Map.copyOf(passwords);
        if (!passwords.containsKey(ADMIN)) {
            throw new IllegalArgumentException("the users of a secured broker must include " + ADMIN);
        }
    }

    /** A new CA in {@code dir} and a random password for {@value #ADMIN} and for each of {@code users}. */
    public static BrokerSecurity create(Path dir, Iterable<String> users) {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, UUID.randomUUID().toString());
        users.forEach(user -> passwords.put(user, UUID.randomUUID().toString()));
        return new BrokerSecurity(TestCertificateAuthority.create(dir), passwords);
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no user " + user + " on this broker; users: " + passwords.keySet());
        }
        return password;
    }

    /** {@code sasl.jaas.config} for {@code user} with {@code password}. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
            + password + "\";";
    }

    /** nmstream's settings ({@link ClusterSettings}) that connect as {@code user}, without the bootstrap servers. */
    public Map<String, String> settings(String user) {
        return settingsWithPassword(user, password(user));
    }

    /** As {@link #settings}, but with another password (to try a wrong one). */
    public Map<String, String> settingsWithPassword(String user, String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(ClusterSettings.SECURITY_PROTOCOL.name(), "SASL_SSL");
        settings.put(ClusterSettings.SASL_MECHANISM.name(), MECHANISM);
        settings.put(ClusterSettings.SASL_JAAS_CONFIG.name(), jaasConfig(user, password));
        settings.put(ClusterSettings.SSL_TRUSTSTORE_LOCATION.name(), tls.trustStore().toString());
        settings.put(ClusterSettings.SSL_TRUSTSTORE_PASSWORD.name(), tls.password());
        return settings;
    }

    /** Kafka client properties (as a producer, consumer or admin takes them) that connect as {@code user}. */
    public Properties clientProperties(String bootstrapServers, String user) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaasConfig(user, password(user)));
        props.put("ssl.truststore.location", tls.trustStore().toString());
        props.put("ssl.truststore.password", tls.password());
        return props;
    }
}
