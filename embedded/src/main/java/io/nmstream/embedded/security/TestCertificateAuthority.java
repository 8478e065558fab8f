package io.nmstream.embedded.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and one server certificate it signed for {@code 127.0.0.1}/{@code localhost}, as
 * PKCS12 files: what a TLS listener of an embedded broker needs (its key store) and what its clients need (a trust
 * store holding only this CA, so that they trust nothing else).
 *
 * <p>Made with the JDK's own {@code keytool}, so no certificate library is needed; every file is in {@code dir}.
 *
 * @param serverKeyStore the server's key and certificate chain (server, then CA)
 * @param trustStore the CA certificate alone
 * @param password the password of both stores and of the server key
 */
public record TestCertificateAuthority(Path serverKeyStore, Path trustStore, String password) {

    private static final String VALIDITY_DAYS = "7";

    /** Creates a new CA and a server certificate signed by it in {@code dir}. */
    public static TestCertificateAuthority create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        String password = UUID.randomUUID().toString();
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path trust = dir.resolve("truststore.p12");
        Path request = dir.resolve("server.csr");
        Path serverCert = dir.resolve("server.crt");
        Path caCert = dir.resolve("ca.crt");
        keytool(password, "-genkeypair", "-keystore", ca.toString(), "-storetype", "PKCS12", "-alias", "ca",
            "-dname", "CN=nmstream test CA", "-keyalg", "EC", "-groupname", "secp256r1", "-ext", "bc:c", "-validity", VALIDITY_DAYS);
        keytool(password, "-exportcert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-file", caCert.toString());
        keytool(password, "-genkeypair", "-keystore", server.toString(), "-storetype", "PKCS12", "-alias", "server",
            "-dname", "CN=localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS);
        keytool(password, "-certreq", "-keystore", server.toString(), "-alias", "server", "-file", request.toString());
        keytool(password, "-gencert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-infile", request.toString(),
            "-outfile", serverCert.toString(), "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", VALIDITY_DAYS);
        // the signed certificate replaces the self-signed one once its issuer is known to the store
        keytool(password, "-importcert", "-noprompt", "-keystore", server.toString(), "-alias", "ca", "-file", caCert.toString());
        keytool(password, "-importcert", "-keystore", server.toString(), "-alias", "server", "-file", serverCert.toString());
        keytool(password, "-importcert", "-noprompt", "-keystore", trust.toString(), "-storetype", "PKCS12", "-alias", "ca",
            "-file", caCert.toString());
        return new TestCertificateAuthority(server, trust, password);
    }

    private static void keytool(String password, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", password));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }
}
