package io.nmstream.ingest.manifest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a manifest, from a file or a request body: UTF-8, as Kubernetes manifests are, with a leading byte-order
 * mark dropped. Other bytes are refused rather than replaced, so that what is published is what was written.
 */
public final class ManifestText {

    /** The bytes are not UTF-8: where the first byte that is not, and its value. */
    public static final class NotUtf8 extends Exception {
        private final int offset;

        NotUtf8(int offset, int value) {
            super(String.format("is not UTF-8 text: byte 0x%02x at offset %d is not valid UTF-8", value, offset), null, false, false);
            this.offset = offset;
        }

        /** Zero-based offset of the first byte that is not UTF-8. */
        public int offset() {
            return offset;
        }
    }

    private ManifestText() {
    }

    /** The text {@code bytes} encode in UTF-8. */
    public static String decode(byte[] bytes) throws NotUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = Math.min(in.position(), bytes.length - 1);
            throw new NotUtf8(at, bytes[at] & 0xff);
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
