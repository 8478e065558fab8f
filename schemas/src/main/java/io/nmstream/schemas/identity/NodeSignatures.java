package io.nmstream.schemas.identity;

import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs what a node publishes about itself (its registration, its enactments, its network state) and checks such a
 * signature against a public key.
 *
 * <p>What is signed: an ASCII label naming the kind of record and a zero byte (so that a signature over one kind can
 * never pass for another), then the record in Avro binary with its {@code signature} field null. Avro binary is
 * deterministic for these records; the only map, a registration's labels, is written in key order.
 *
 * <p>Signatures that verified are remembered, with the SHA-256 of what they signed and the key they verified against:
 * the services of one installation often run in one process ({@code nmstream up}) and check the same node records (the
 * reconciler a node's finishing report, the projector every report), and an Ed25519 verification costs ~80 us against
 * ~1 us for the digest. A remembered signature counts only for the same bytes under one of the same keys, so it can
 * never make another record pass.
 */
public final class NodeSignatures {

    static final String ENACTMENT = "nmstream.enactment.v1";
    static final String NODE_STATE = "nmstream.node-state.v1";
    static final String NODE = "nmstream.node.v1";
    /** Parsed public keys: a point decompression each, worth keeping for a fleet's worth of nodes. */
    private static final int KEY_CACHE_SIZE = 200_000;
    private static final Map<String, Ed25519PublicKeyParameters> KEYS = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ed25519PublicKeyParameters> eldest) {
            return size() > KEY_CACHE_SIZE;
        }
    };

    /**
     * Signatures remembered (about 110 bytes each, estimated from the objects an entry holds, not measured): enough for
     * the checks of a 100,000-node rollout that come between the reconciler's check of a report and the projector's, the
     * slower reader's (with 100,000, most were forgotten by then).
     */
    private static final int VERIFIED_CACHE_SIZE = 300_000;
    /** By the signature's first 8 bytes: the SHA-256 of the signed bytes, the signature and the key it verified against. */
    private static final Map<Long, byte[]> VERIFIED = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > VERIFIED_CACHE_SIZE;
        }
    };
    /** Signature checks that did the curve arithmetic, rather than finding the signature remembered. */
    private static final AtomicLong COMPUTED = new AtomicLong();
    /** Signatures made. */
    private static final AtomicLong MADE = new AtomicLong();

    /**
     * The signature work a process did since it started: what a benchmark reads to tell how much of a rollout's CPU is
     * the signatures' (each costs tens of microseconds, everything else about a record a few).
     *
     * @param signaturesMade signatures made ({@code signed})
     * @param verificationsComputed signature checks that did the curve arithmetic (the others found the signature remembered)
     */
    public record Work(long signaturesMade, long verificationsComputed) {

        /** The work done since {@code earlier}. */
        public Work since(Work earlier) {
            return new Work(signaturesMade - earlier.signaturesMade, verificationsComputed - earlier.verificationsComputed);
        }
    }

    private NodeSignatures() {
    }

    /** {@code event} with its {@code signature} by {@code key}. */
    public static EnactmentEvent signed(EnactmentEvent event, NodeKey key) {
        EnactmentEvent unsigned = EnactmentEvent.newBuilder(event).setSignature(null).build();
        unsigned.setSignature(sign(key, ENACTMENT, unsigned));
        return unsigned;
    }

    /** {@code state} with its {@code signature} by {@code key}. */
    public static NodeNetworkState signed(NodeNetworkState state, NodeKey key) {
        NodeNetworkState unsigned = NodeNetworkState.newBuilder(state).setSignature(null).build();
        unsigned.setSignature(sign(key, NODE_STATE, unsigned));
        return unsigned;
    }

    /** {@code node} carrying {@code key}'s public half, signed by it. */
    public static NodeEvent signed(NodeEvent node, NodeKey key) {
        NodeEvent unsigned = canonical(node);
        unsigned.setPublicKey(key.publicKey());
        unsigned.setSignature(sign(key, NODE, unsigned));
        return unsigned;
    }

    /** Whether {@code event}'s signature verifies against one of {@code publicKeys}. */
    public static boolean verifies(EnactmentEvent event, Collection<String> publicKeys) {
        return event.getSignature() != null
            && verifies(ENACTMENT, EnactmentEvent.newBuilder(event).setSignature(null).build(), event.getSignature(), publicKeys);
    }

    /** Whether {@code state}'s signature verifies against one of {@code publicKeys}. */
    public static boolean verifies(NodeNetworkState state, Collection<String> publicKeys) {
        return state.getSignature() != null
            && verifies(NODE_STATE, NodeNetworkState.newBuilder(state).setSignature(null).build(), state.getSignature(), publicKeys);
    }

    /** Whether {@code node}'s signature verifies against one of {@code publicKeys}. */
    public static boolean verifies(NodeEvent node, Collection<String> publicKeys) {
        return node.getSignature() != null && verifies(NODE, canonical(node), node.getSignature(), publicKeys);
    }

    /** Whether {@code node} is signed by the key it carries: it holds the private half of what it claims. */
    public static boolean selfSigned(NodeEvent node) {
        return node.getPublicKey() != null && verifies(node, List.of(node.getPublicKey().toString()));
    }

    /** Whether {@code text} is an Ed25519 public key as registrations carry it (base64 of 32 bytes). */
    public static boolean isPublicKey(String text) {
        return parse(text) != null;
    }

    private static NodeEvent canonical(NodeEvent node) {
        Map<String, String> labels = new TreeMap<>();
        node.getLabels().forEach((name, value) -> labels.put(name.toString(), value.toString()));
        return NodeEvent.newBuilder(node).setLabels(labels).setSignature(null).build();
    }

    private static String sign(NodeKey key, String label, SpecificRecord unsigned) {
        MADE.incrementAndGet();
        return Base64.getEncoder().encodeToString(key.sign(payload(label, unsigned)));
    }

    private static boolean verifies(String label, SpecificRecord unsigned, CharSequence signature, Collection<String> publicKeys) {
        if (publicKeys.isEmpty()) {
            return false;
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature.toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] payload = payload(label, unsigned);
        Long id = signatureBytes.length >= Long.BYTES ? ByteBuffer.wrap(signatureBytes).getLong() : null;
        byte[] remembered;
        synchronized (VERIFIED) {
            remembered = id == null ? null : VERIFIED.get(id);
        }
        if (remembered != null) {
            for (String publicKey : publicKeys) {
                if (Arrays.equals(remembered, proof(payload, signatureBytes, publicKey))) {
                    return true;
                }
            }
        }
        COMPUTED.incrementAndGet();
        for (String publicKey : publicKeys) {
            Ed25519PublicKeyParameters parsed = parse(publicKey);
            if (parsed == null) {
                continue;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, parsed);
            verifier.update(payload, 0, payload.length);
            if (verifier.verifySignature(signatureBytes)) {
                if (id != null) {
                    byte[] proof = proof(payload, signatureBytes, publicKey);
                    synchronized (VERIFIED) {
                        VERIFIED.put(id, proof);
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** The signature work this process did since it started. */
    public static Work work() {
        return new Work(MADE.get(), COMPUTED.get());
    }

    /** What a remembered signature stands for: the SHA-256 of the signed bytes, the signature and the key, each delimited. */
    private static byte[] proof(byte[] payload, byte[] signature, String publicKey) {
        SHA256Digest sha = new SHA256Digest();
        for (byte[] part : List.of(payload, signature, publicKey.getBytes(StandardCharsets.US_ASCII))) {
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array(), 0, Integer.BYTES);
            sha.update(part, 0, part.length);
        }
        byte[] digest = new byte[sha.getDigestSize()];
        sha.doFinal(digest, 0);
        return digest;
    }

    private static Ed25519PublicKeyParameters parse(String publicKey) {
        synchronized (KEYS) {
            Ed25519PublicKeyParameters cached = KEYS.get(publicKey);
            if (cached != null) {
                return cached;
            }
        }
        Ed25519PublicKeyParameters parsed;
        try {
            byte[] raw = Base64.getDecoder().decode(publicKey);
            if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                return null;
            }
            parsed = new Ed25519PublicKeyParameters(raw, 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
        synchronized (KEYS) {
            KEYS.put(publicKey, parsed);
        }
        return parsed;
    }

    private static final Map<Class<?>, SpecificDatumWriter<SpecificRecord>> WRITERS = Map.of(
        EnactmentEvent.class, new SpecificDatumWriter<>(EnactmentEvent.getClassSchema()),
        NodeNetworkState.class, new SpecificDatumWriter<>(NodeNetworkState.getClassSchema()),
        NodeEvent.class, new SpecificDatumWriter<>(NodeEvent.getClassSchema()));

    private static byte[] payload(String label, SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITERS.get(record.getClass()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
