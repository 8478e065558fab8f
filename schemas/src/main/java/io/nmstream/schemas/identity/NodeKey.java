package io.nmstream.schemas.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A node's Ed25519 key pair: the private half signs what the node publishes, the public half goes into its
 * registration so that readers can check that a record about the node came from it.
 */
public final class NodeKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519PrivateKeyParameters privateKey;
    private final String publicKey;

    private NodeKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = Base64.getEncoder().encodeToString(privateKey.generatePublicKey().getEncoded());
    }

    /** A new random key. */
    public static NodeKey generate() {
        return new NodeKey(new Ed25519PrivateKeyParameters(RANDOM));
    }

    /** The key whose 32-byte private seed is {@code seed}. */
    public static NodeKey fromSeed(byte[] seed) {
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key has " + Ed25519PrivateKeyParameters.KEY_SIZE + " bytes, not "
                + seed.length);
        }
        return new NodeKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /**
     * The key kept in {@code file} (its 32-byte seed, readable by the owner only), made and written there on first use:
     * a node keeps its identity across restarts, as its registration's key may not change without an operator.
     */
    public static NodeKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return fromSeed(Files.readAllBytes(file));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            NodeKey key = generate();
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(partial, key.seed(), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the node key " + file, e);
        }
    }

    /** The private seed, for keeping the key. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    /** The public key as registrations carry it: base64 of its 32 raw bytes. */
    public String publicKey() {
        return publicKey;
    }

    /** An Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }
}
