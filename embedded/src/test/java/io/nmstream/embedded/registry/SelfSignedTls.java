package io.nmstream.embedded.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private key and self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool}: the server side of
 * a registry with a private CA, and a client side that trusts it.
 */
final class SelfSignedTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private final KeyStore keyStore;

    private SelfSignedTls(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    /** Generates a key pair and certificate valid for the loopback address into {@code dir}. */
    static SelfSignedTls forLoopback(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path file = dir.resolve("registry.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "registry",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD)))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return new SelfSignedTls(store);
    }

    /** The server's context: presents the certificate. */
    SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client's context that trusts the certificate (as one configured with the private CA would). */
    SSLContext clientContext() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
