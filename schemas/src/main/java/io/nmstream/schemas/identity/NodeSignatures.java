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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.avro.Schema;
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
 * <p>A node's report that finishes a command and the network state that command left are signed together, with one
 * signature: over an ASCII label, a zero byte, and the SHA-256 of each record's bytes as they would be signed alone.
 * Each record carries the other's digest, so each verifies on its own, and a reader that checked one finds the other's
 * signature remembered: one signature to make and one to check for the two, instead of two of each.
 *
 * <p>Signatures that verified are remembered, with the SHA-256 of what they signed and the key they verified against:
 * the services of one installation often run in one process ({@code nmstream up}) and check the same node records (the
 * reconciler a node's finishing report, the projector every report), and an Ed25519 verification costs ~80 us against
 * ~1 us for the digest. A remembered signature counts only for the same bytes under one of the same keys, so it can
 * never make another record pass. Two threads checking the same signature over the same bytes at once (the projector
 * checks a poll's records on every core, and a signed pair's two records often arrive in one poll) do the arithmetic
 * once: the second waits for the first's answer.
 */
public final class NodeSignatures {

    static final String ENACTMENT = "nmstream.enactment.v1";
    static final String NODE_STATE = "nmstream.node-state.v1";
    static final String NODE = "nmstream.node.v1";
    static final String ENACTMENT_AND_NODE_STATE = "nmstream.enactment+node-state.v1";
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
    /**
     * Checks under way, by what they would remember: a second check of the same signature over the same bytes waits for
     * the first's answer. Guarded, like {@link #VERIFIED}, by {@code VERIFIED}'s lock, so that a check finds a signature
     * either remembered or under way.
     */
    private static final Map<ByteBuffer, CompletableFuture<Boolean>> IN_FLIGHT = new HashMap<>();
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

    /**
     * A node's report and the network state published with it, signed together by the node's key.
     *
     * @param enactment the report, whose {@code signedWithState} is the state's digest
     * @param state the state, whose {@code signedWithEnactment} is the report's digest, with the report's signature
     */
    public record SignedTogether(EnactmentEvent enactment, NodeNetworkState state) {
    }

    /**
     * {@code event} and {@code state} with one signature by {@code key} for both (see the class comment): what a node
     * publishes when it finishes a command that changed its state.
     */
    public static SignedTogether signedTogether(EnactmentEvent event, NodeNetworkState state, NodeKey key) {
        EnactmentEvent signedEvent = unsigned(event);
        NodeNetworkState signedState = unsigned(state);
        byte[] eventDigest = sha256(payload(ENACTMENT, signedEvent));
        byte[] stateDigest = sha256(payload(NODE_STATE, signedState));
        String signature = sign(key, together(eventDigest, stateDigest));
        signedEvent.setSignedWithState(HexFormat.of().formatHex(stateDigest));
        signedEvent.setSignature(signature);
        signedState.setSignedWithEnactment(HexFormat.of().formatHex(eventDigest));
        signedState.setSignature(signature);
        return new SignedTogether(signedEvent, signedState);
    }

    /** {@code node} carrying {@code key}'s public half, signed by it. */
    public static NodeEvent signed(NodeEvent node, NodeKey key) {
        NodeEvent unsigned = canonical(node);
        unsigned.setPublicKey(key.publicKey());
        unsigned.setSignature(sign(key, NODE, unsigned));
        return unsigned;
    }

    /**
     * Whether {@code event}'s signature verifies against one of {@code publicKeys}: signed alone, or together with the
     * state whose digest it carries.
     */
    public static boolean verifies(EnactmentEvent event, Collection<String> publicKeys) {
        if (event.getSignature() == null) {
            return false;
        }
        byte[] signed = payload(ENACTMENT, unsigned(event));
        if (event.getSignedWithState() == null) {
            return verifies(signed, event.getSignature(), publicKeys);
        }
        byte[] stateDigest = digest(event.getSignedWithState());
        return stateDigest != null && verifies(together(sha256(signed), stateDigest), event.getSignature(), publicKeys);
    }

    /**
     * Whether {@code state}'s signature verifies against one of {@code publicKeys}: signed alone, or together with the
     * enactment event whose digest it carries.
     */
    public static boolean verifies(NodeNetworkState state, Collection<String> publicKeys) {
        if (state.getSignature() == null) {
            return false;
        }
        byte[] signed = payload(NODE_STATE, unsigned(state));
        if (state.getSignedWithEnactment() == null) {
            return verifies(signed, state.getSignature(), publicKeys);
        }
        byte[] eventDigest = digest(state.getSignedWithEnactment());
        return eventDigest != null && verifies(together(eventDigest, sha256(signed)), state.getSignature(), publicKeys);
    }

    /** Whether {@code node}'s signature verifies against one of {@code publicKeys}. */
    public static boolean verifies(NodeEvent node, Collection<String> publicKeys) {
        return node.getSignature() != null && verifies(payload(NODE, canonical(node)), node.getSignature(), publicKeys);
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

    private static EnactmentEvent unsigned(EnactmentEvent event) {
        return EnactmentEvent.newBuilder(event).setSignature(null).setSignedWithState(null).build();
    }

    private static NodeNetworkState unsigned(NodeNetworkState state) {
        return NodeNetworkState.newBuilder(state).setSignature(null).setSignedWithEnactment(null).build();
    }

    private static String sign(NodeKey key, String label, SpecificRecord unsigned) {
        return sign(key, payload(label, unsigned));
    }

    private static String sign(NodeKey key, byte[] payload) {
        MADE.incrementAndGet();
        return Base64.getEncoder().encodeToString(key.sign(payload));
    }

    /** What a report and a state signed together sign: the label, a zero byte, the report's digest, the state's. */
    private static byte[] together(byte[] eventDigest, byte[] stateDigest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + eventDigest.length + stateDigest.length);
        out.writeBytes(ENACTMENT_AND_NODE_STATE.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(eventDigest);
        out.writeBytes(stateDigest);
        return out.toByteArray();
    }

    /**
     * The 32 bytes of a SHA-256 a record carries in hex, or null when it is not one as written by {@link #signedTogether}
     * (lower case, 64 digits): a record may not differ from what its node signed, even in the case of a digit.
     */
    private static byte[] digest(CharSequence hex) {
        String text = hex.toString();
        if (text.length() != 64) {
            return null;
        }
        try {
            byte[] digest = HexFormat.of().parseHex(text);
            return HexFormat.of().formatHex(digest).equals(text) ? digest : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(bytes, 0, bytes.length);
        byte[] digest = new byte[sha.getDigestSize()];
        sha.doFinal(digest, 0);
        return digest;
    }

    private static boolean verifies(byte[] payload, CharSequence signature, Collection<String> publicKeys) {
        if (publicKeys.isEmpty()) {
            return false;
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature.toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
        Long id = signatureBytes.length >= Long.BYTES ? ByteBuffer.wrap(signatureBytes).getLong() : null;
        byte[] remembered;
        synchronized (VERIFIED) {
            remembered = id == null ? null : VERIFIED.get(id);
        }
        if (remembered != null) {
            // under any of the keys, before computing under one that is not the signer's
            for (String publicKey : publicKeys) {
                if (Arrays.equals(remembered, proof(payload, signatureBytes, publicKey))) {
                    return true;
                }
            }
        }
        for (String publicKey : publicKeys) {
            Ed25519PublicKeyParameters parsed = parse(publicKey);
            if (parsed != null && verifiesOnce(id, proof(payload, signatureBytes, publicKey), () -> {
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, parsed);
                verifier.update(payload, 0, payload.length);
                return verifier.verifySignature(signatureBytes);
            })) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the check {@code proof} stands for passes: remembered, or waited for while another thread computes it, or
     * computed here (and then remembered when it passed).
     *
     * @param id the signature's first 8 bytes, under which it is remembered; null for one too short to remember
     */
    private static boolean verifiesOnce(Long id, byte[] proof, BooleanSupplier verification) {
        ByteBuffer key = ByteBuffer.wrap(proof);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running;
        synchronized (VERIFIED) {
            byte[] remembered = id == null ? null : VERIFIED.get(id);
            if (remembered != null && Arrays.equals(remembered, proof)) {
                return true;
            }
            running = IN_FLIGHT.putIfAbsent(key, mine);
        }
        if (running != null) {
            return running.join();
        }
        boolean verified = false;
        try {
            COMPUTED.incrementAndGet();
            verified = verification.getAsBoolean();
        } finally {
            synchronized (VERIFIED) {
                if (verified && id != null) {
                    VERIFIED.put(id, proof);
                }
                IN_FLIGHT.remove(key);
            }
            mine.complete(verified);
        }
        return verified;
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

    /**
     * What a record is written as to be signed: its schema up to the field naming the record it was signed with, which
     * came after signatures did, and without the fields added after it (an enactment's {@code resolvedState}, which its
     * signed {@code resolvedStateDigest} vouches for). A record signed alone is thus signed over exactly the bytes that
     * agents of the version before wrote, so that their records still verify while a fleet upgrades.
     */
    private static final Map<Class<?>, SpecificDatumWriter<SpecificRecord>> WRITERS = Map.of(
        EnactmentEvent.class, new SpecificDatumWriter<>(fieldsBefore(EnactmentEvent.getClassSchema(), "signedWithState")),
        NodeNetworkState.class, new SpecificDatumWriter<>(fieldsBefore(NodeNetworkState.getClassSchema(), "signedWithEnactment")),
        NodeEvent.class, new SpecificDatumWriter<>(NodeEvent.getClassSchema()));

    /** {@code record} with only the fields before {@code name}, which keep their positions. */
    private static Schema fieldsBefore(Schema record, String name) {
        Schema.Field last = record.getField(name);
        if (last == null) {
            throw new IllegalStateException(record.getName() + " has no field " + name + ": the signed bytes would change");
        }
        List<Schema.Field> kept = record.getFields().subList(0, last.pos()).stream().map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, kept);
    }

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
