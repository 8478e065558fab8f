package io.nmstream.nmstate.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Reads YAML (or JSON) documents into trees as kubectl and nmstate read them: an alias ({@code *name}) stands for a copy
 * of the node its anchor ({@code &name}) marks, and a merge key ({@code <<: *defaults}) adds the fields of the mappings
 * it names that the mapping does not set itself. Duplicate keys are refused.
 *
 * <p>Jackson's own tree reading does not resolve aliases: it reads {@code *a} as the string {@code "a"}, which would
 * silently change a document. Expansion is limited, so that a small text cannot grow into a huge tree ("billion laughs"):
 * at most {@value #MAX_ALIASES} aliases per text, and at most {@value #MAX_NODES} nodes in all its documents once
 * expanded. An alias over a limit, or to an anchor not defined before it, is refused with its path and line.
 */
public final class YamlDocuments {

    /** Most aliases one text may use. */
    public static final int MAX_ALIASES = 100;
    /** Most nodes (mappings, sequences and scalars) the documents of one text may hold once aliases are expanded. */
    public static final int MAX_NODES = 1_000_000;

    private static final String MERGE_KEY = "<<";
    private static final YAMLFactory FACTORY = new AnchoredFactory();

    static {
        FACTORY.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Jackson's YAML parser tells the anchor of a mapping or sequence but drops a scalar's; this one tells both. */
    private static final class AnchoredParser extends YAMLParser {

        AnchoredParser(IOContext context, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec, Reader reader) {
            super(context, features, yamlFeatures, options, codec, reader);
        }

        /** The anchor of the node the current token starts or is; null when it has none. */
        String anchor() {
            return _lastEvent instanceof NodeEvent node && !(_lastEvent instanceof AliasEvent) ? node.getAnchor() : null;
        }
    }

    /** Makes {@link AnchoredParser}s. */
    private static final class AnchoredFactory extends YAMLFactory {

        @Override
        protected YAMLParser _createParser(Reader reader, IOContext context) {
            return new AnchoredParser(context, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
        }
    }

    /** A text that cannot be read as YAML: why, where (the path in its document and the line), and what was written there. */
    public static final class YamlException extends Exception {
        private final int document;
        private final String path;
        private final String value;
        private final String reason;

        YamlException(int document, String path, String value, String reason, Throwable cause) {
            super(reason, cause);
            this.document = document;
            this.path = path;
            this.value = value;
            this.reason = reason;
        }

        /** Zero-based index of the document in the text. */
        public int document() {
            return document;
        }

        /** Where in the document ({@code spec.desiredState.interfaces[0].mtu}); empty for the document itself or a syntax error. */
        public String path() {
            return path;
        }

        /** What was written there: {@code *name} for an alias, {@code line L column C} for a syntax error. */
        public String value() {
            return value;
        }

        /** Why it is refused, with the line and column. */
        public String reason() {
            return reason;
        }
    }

    private final AnchoredParser parser;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int document;
    private int aliases;
    private long nodes;

    private record Anchored(JsonNode node, long size) {
    }

    private YamlDocuments(AnchoredParser parser) {
        this.parser = parser;
    }

    /**
     * Every document of {@code text}, aliases resolved; an empty document is a null node.
     *
     * @throws YamlException when the text is not YAML, or an alias cannot be resolved within the limits
     */
    public static List<JsonNode> read(String text) throws YamlException {
        try (AnchoredParser parser = (AnchoredParser) FACTORY.createParser(new StringReader(text))) {
            return new YamlDocuments(parser).readAll();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? null : "line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new YamlException(0, "", where, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new YamlException(0, "", null, e.getMessage(), e);
        }
    }

    private List<JsonNode> readAll() throws IOException, YamlException {
        List<JsonNode> documents = new ArrayList<>();
        try {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                // anchors belong to their document
                anchors.clear();
                documents.add(value(token, ""));
                document++;
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? null : "line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new YamlException(document, "", where, e.getOriginalMessage(), e);
        }
        return documents;
    }

    private JsonNode value(JsonToken token, String path) throws IOException, YamlException {
        if (parser.isCurrentAlias()) {
            return alias(path);
        }
        String anchor = parser.anchor();
        long before = nodes;
        JsonNode node = switch (token) {
            case START_OBJECT -> mapping(path);
            case START_ARRAY -> sequence(path);
            case VALUE_STRING -> JsonNodeFactory.instance.textNode(parser.getText());
            case VALUE_NUMBER_INT -> integer();
            case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(false);
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            case VALUE_EMBEDDED_OBJECT -> JsonNodeFactory.instance.pojoNode(parser.getEmbeddedObject());
            default -> throw refused(path, parser.getText(), "unexpected " + token);
        };
        count(1, path, null);
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, nodes - before));
        }
        return node;
    }

    private JsonNode integer() throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
            case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
            default -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
        };
    }

    private ObjectNode mapping(String path) throws IOException, YamlException {
        ObjectNode mapping = JsonNodeFactory.instance.objectNode();
        List<JsonNode> merged = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            if (parser.isCurrentAlias()) {
                throw refused(path, "*" + key, "an alias may not be a key; write the key itself");
            }
            String child = path.isEmpty() ? key : path + "." + key;
            JsonNode value = value(parser.nextToken(), child);
            if (MERGE_KEY.equals(key)) {
                mergeSources(value, child).forEach(merged::add);
            } else {
                mapping.set(key, value);
            }
        }
        // keys written in the mapping win over merged ones; earlier merged mappings win over later ones
        for (JsonNode source : merged) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = source.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!mapping.has(field.getKey())) {
                    mapping.set(field.getKey(), field.getValue());
                }
            }
        }
        return mapping;
    }

    private List<JsonNode> mergeSources(JsonNode value, String path) throws YamlException {
        if (value.isObject()) {
            return List.of(value);
        }
        if (value.isArray()) {
            List<JsonNode> sources = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isObject()) {
                    throw refused(path, item.toString(), "a merge key (<<) takes a mapping or a list of mappings");
                }
                sources.add(item);
            }
            return sources;
        }
        throw refused(path, value.toString(), "a merge key (<<) takes a mapping or a list of mappings");
    }

    private ArrayNode sequence(String path) throws IOException, YamlException {
        ArrayNode sequence = JsonNodeFactory.instance.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            sequence.add(value(token, path + "[" + sequence.size() + "]"));
        }
        return sequence;
    }

    private JsonNode alias(String path) throws IOException, YamlException {
        String name = parser.getText();
        Anchored anchored = anchors.get(name);
        if (anchored == null) {
            throw refused(path, "*" + name, "alias to an anchor &" + name + " that is not defined before it in this document");
        }
        if (++aliases > MAX_ALIASES) {
            throw refused(path, "*" + name, "more than " + MAX_ALIASES + " aliases in one text");
        }
        count(anchored.size(), path, name);
        return anchored.node().deepCopy();
    }

    private void count(long added, String path, String alias) throws YamlException {
        nodes += added;
        if (nodes > MAX_NODES) {
            throw refused(path, alias == null ? null : "*" + alias, "the text expands to more than " + MAX_NODES + " nodes"
                + (alias == null ? "" : " with its aliases"));
        }
    }

    private YamlException refused(String path, String value, String reason) {
        JsonLocation at = parser.currentTokenLocation();
        return new YamlException(document, path, value, reason + " (line " + at.getLineNr() + " column " + at.getColumnNr() + ")", null);
    }
}
