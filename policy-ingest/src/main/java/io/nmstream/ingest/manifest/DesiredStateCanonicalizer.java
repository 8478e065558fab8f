package io.nmstream.ingest.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a validated desiredState into its canonical JSON text, so that two manifests that mean the same state have the
 * same digest: keys sorted, addresses normalised (IPv6 compressed and lower case), numbers written as numbers even where
 * the manifest quoted them, MAC addresses in upper case. List order is kept: in nmstate it can carry meaning (DNS
 * servers, ports' order of enslavement). nmpolicy templates are kept verbatim.
 */
public final class DesiredStateCanonicalizer {

    private static final Set<String> ADDRESS_FIELDS = Set.of("ip", "next-hop-address", "remote", "local");
    private static final Set<String> NETWORK_FIELDS = Set.of("destination", "ip-from", "ip-to");
    private static final Set<String> INTEGER_FIELDS = Set.of("prefix-length", "mtu", "id", "metric", "table-id", "route-table-id",
        "total-vfs", "traffic-class", "bandwidth", "delay", "tag", "min", "max", "priority", "route-table", "speed", "destination-port",
        "weight", "forward-delay", "hello-time", "max-age");
    private static final Pattern NUMERIC = Pattern.compile("-?\\d{1,18}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredStateCanonicalizer() {
    }

    /** The canonical JSON text of {@code state}. */
    public static String canonicalJson(JsonNode state) {
        try {
            return JSON.writeValueAsString(canonical(state, ""));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** The canonical tree of {@code node}, found under the field {@code fieldName} ("" for list elements and the root). */
    static JsonNode canonical(JsonNode node, String fieldName) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                out.set(name, canonical(node.get(name), name));
            }
            return out;
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

    private static JsonNode canonicalText(String text, String fieldName) {
        if (text.contains("{{")) {
            return TextNode.valueOf(text);
        }
        if (INTEGER_FIELDS.contains(fieldName) && NUMERIC.matcher(text.trim()).matches()) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text.trim()));
        }
        if (ADDRESS_FIELDS.contains(fieldName)) {
            return TextNode.valueOf(IpAddresses.parse(text).map(IpAddresses.Address::canonical).orElse(text));
        }
        if (NETWORK_FIELDS.contains(fieldName)) {
            return TextNode.valueOf(IpAddresses.canonicalCidr(text)
                .orElseGet(() -> IpAddresses.parse(text).map(IpAddresses.Address::canonical).orElse(text)));
        }
        if (fieldName.equals("mac-address")) {
            return TextNode.valueOf(text.toUpperCase(Locale.ROOT));
        }
        return TextNode.valueOf(text);
    }
}
