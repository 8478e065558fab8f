package io.nmstream.nmstate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The canonical JSON text of a desired state, and its digest, so that two documents that mean the same state have the
 * same digest: keys sorted, nmstate's aliases written under nmstate's own name ({@code slaves} and {@code ports} as
 * {@code port}), addresses normalised (IPv6 compressed and lower case), numbers written as numbers even where the document
 * quoted them, MAC addresses in upper case. List order is kept: in nmstate it can carry meaning (DNS servers, the order
 * ports are enslaved in). nmpolicy templates are kept verbatim.
 *
 * <p>The digest is the lower-case hex SHA-256 of the canonical text's UTF-8 bytes, as events carry it.
 */
public final class CanonicalForm {

    private static final Set<String> ADDRESS_FIELDS = Set.of("ip", "next-hop-address", "remote", "local");
    private static final Set<String> NETWORK_FIELDS = Set.of("destination", "ip-from", "ip-to");
    private static final Set<String> INTEGER_FIELDS = Set.of("prefix-length", "mtu", "id", "metric", "table-id", "route-table-id",
        "total-vfs", "traffic-class", "bandwidth", "delay", "tag", "min", "max", "priority", "route-table", "speed", "destination-port",
        "weight", "forward-delay", "hello-time", "max-age");
    /** Per block: nmstate's aliases and the name nmstate writes them under. */
    private static final Map<String, Map<String, String>> ALIASES = Map.of(
        "link-aggregation", Map.of("slaves", "port", "ports", "port"),
        "bridge", Map.of("ports", "port"),
        "vrf", Map.of("ports", "port"),
        "mac-vlan", Map.of("accept-all-mac", "promiscuous"));
    private static final Pattern NUMERIC = Pattern.compile("-?\\d{1,18}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalForm() {
    }

    /** The canonical JSON text of {@code desiredState}. */
    public static String canonicalJson(JsonNode desiredState) {
        try {
            return JSON.writeValueAsString(canonical(desiredState, ""));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@link #canonicalJson}. */
    public static String digest(JsonNode desiredState) {
        return sha256Hex(canonicalJson(desiredState));
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The canonical tree of {@code node}, found under the field {@code fieldName} ("" for list elements and the root). */
    private static JsonNode canonical(JsonNode node, String fieldName) {
        if (node.isObject()) {
            Map<String, String> aliases = ALIASES.getOrDefault(fieldName, Map.of());
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                String canonicalName = aliases.getOrDefault(name, name);
                if (!canonicalName.equals(name) && node.has(canonicalName)) {
                    // both spellings given: the parser refuses this, so keep the document as written
                    canonicalName = name;
                }
                out.set(canonicalName, canonical(node.get(name), canonicalName));
            }
            return sorted(out);
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            // elements of these lists are addresses or numbers themselves, named by the list's field
            String elementField = switch (fieldName) {
                case "server" -> "ip";
                case "enabled" -> "priority";
                default -> "";
            };
            node.forEach(element -> out.add(canonical(element, elementField)));
            return out;
        }
        if (node.isTextual()) {
            return canonicalText(node.asText(), fieldName);
        }
        return node;
    }

    /** {@code node} with its fields in sorted order (an alias renamed may no longer be in place). */
    private static ObjectNode sorted(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.sort(names);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        names.forEach(name -> out.set(name, node.get(name)));
        return out;
    }

    private static JsonNode canonicalText(String text, String fieldName) {
        if (text.contains("{{")) {
            return TextNode.valueOf(text);
        }
        if (INTEGER_FIELDS.contains(fieldName) && NUMERIC.matcher(text.trim()).matches()) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text.trim()));
        }
        if (ADDRESS_FIELDS.contains(fieldName)) {
            return TextNode.valueOf(IpAddress.parseLiteral(text).orElse(text));
        }
        if (NETWORK_FIELDS.contains(fieldName)) {
            return TextNode.valueOf(IpAddress.parseCidrLiteral(text).orElseGet(() -> IpAddress.parseLiteral(text).orElse(text)));
        }
        if (fieldName.equals("mac-address")) {
            return TextNode.valueOf(text.toUpperCase(Locale.ROOT));
        }
        return TextNode.valueOf(text);
    }
}
