package io.nmstream.status.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.StatusCondition;
import io.nmstream.status.resources.NmstateDocuments;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints statuses the way kubectl prints kubernetes-nmstate resources: tables (the printer columns of their CRDs:
 * {@code NAME STATUS REASON} for NNCP, {@code NAME STATUS STATUS AGE REASON} for NNCE, a node's interfaces for NNS) and
 * whole objects as YAML or JSON.
 */
public final class StatusPrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper READER = new ObjectMapper();

    private StatusPrinter() {
    }

    /** The table of resources of one kind as of now; {@code wide} adds generation and message columns. */
    public static void table(PrintWriter out, NmstateKind kind, List<ResourceStatus> statuses, boolean wide) {
        table(out, kind, statuses, wide, Instant.now());
    }

    /** The table of resources of one kind, their ages as of {@code now}. */
    static void table(PrintWriter out, NmstateKind kind, List<ResourceStatus> statuses, boolean wide, Instant now) {
        print(out, rows(kind, statuses, wide, now));
    }

    /**
     * The header, then a row for each status: the columns kubectl shows for the kind, more of them when {@code wide}, ages
     * as of {@code now}.
     */
    static List<List<String>> rows(NmstateKind kind, List<ResourceStatus> statuses, boolean wide, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        switch (kind) {
            case NNCP -> {
                rows.add(wide ? List.of("NAME", "STATUS", "REASON", "GENERATION", "MESSAGE") : List.of("NAME", "STATUS", "REASON"));
                for (ResourceStatus s : statuses) {
                    rows.add(wide ? List.of(s.getName(), trueTypes(s), trueReasons(s), Long.toString(s.getGeneration()), trueMessages(s))
                        : List.of(s.getName(), trueTypes(s), trueReasons(s)));
                }
            }
            case NNCE -> {
                rows.add(wide ? List.of("NAME", "STATUS", "STATUS AGE", "REASON", "GENERATION", "MESSAGE")
                    : List.of("NAME", "STATUS", "STATUS AGE", "REASON"));
                for (ResourceStatus s : statuses) {
                    rows.add(wide ? List.of(s.getName(), trueTypes(s), statusAge(s, now), trueReasons(s), Long.toString(s.getGeneration()),
                        trueMessages(s)) : List.of(s.getName(), trueTypes(s), statusAge(s, now), trueReasons(s)));
                }
            }
            default -> {
                rows.add(List.of("NAME", "INTERFACES", "UPDATED"));
                for (ResourceStatus s : statuses) {
                    List<String> names = interfaces(s).stream().map(row -> row.get(0)).toList();
                    rows.add(List.of(s.getName(), String.join(",", names), s.getUpdatedAt().toString()));
                }
            }
        }
        return rows;
    }

    /** One node's interfaces, from its NNS current state. */
    public static void interfaces(PrintWriter out, ResourceStatus nns) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "TYPE", "STATE", "MTU", "IPV4", "IPV6"));
        rows.addAll(interfaces(nns));
        print(out, rows);
    }

    /** One object, or a {@code List} of objects, as YAML or JSON. */
    public static void documents(PrintWriter out, List<ResourceStatus> statuses, boolean single, OutputFormat format) {
        objects(out, statuses.stream().map(NmstateDocuments::object).toList(), single, format);
    }

    /** One object, or a {@code List} of them as kubectl prints several, as YAML or JSON. */
    static void objects(PrintWriter out, List<Map<String, Object>> objects, boolean single, OutputFormat format) {
        Object doc;
        if (single && objects.size() == 1) {
            doc = objects.get(0);
        } else {
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("apiVersion", "v1");
            list.put("kind", "List");
            list.put("items", objects);
            doc = list;
        }
        document(out, doc, format);
    }

    /** A watch event as kubectl's {@code --output-watch-events} prints it: {@code {type, object}}. */
    static void event(PrintWriter out, String type, Map<String, Object> object, OutputFormat format) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("object", object);
        document(out, event, format);
    }

    private static void document(PrintWriter out, Object doc, OutputFormat format) {
        try {
            String text = (format == OutputFormat.JSON ? JSON : YAML).writeValueAsString(doc);
            out.print(text.endsWith("\n") ? text : text + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Status cannot be printed as " + format, e);
        }
        out.flush();
    }

    /** The rows {@code NAME TYPE STATE MTU IPV4 IPV6} of a node's interfaces. */
    static List<List<String>> interfaces(ResourceStatus nns) {
        List<List<String>> rows = new ArrayList<>();
        JsonNode state;
        try {
            state = READER.readTree(nns.getDetail() == null ? "{}" : nns.getDetail());
        } catch (JsonProcessingException e) {
            return rows;
        }
        for (JsonNode iface : state.path("interfaces")) {
            rows.add(List.of(iface.path("name").asText(""), iface.path("type").asText(""), iface.path("state").asText(""),
                iface.path("mtu").asText(""), addresses(iface.path("ipv4")), addresses(iface.path("ipv6"))));
        }
        return rows;
    }

    private static String addresses(JsonNode ip) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : ip.path("address")) {
            out.add(a.path("ip").asText("") + "/" + a.path("prefix-length").asText(""));
        }
        return String.join(",", out);
    }

    private static String trueTypes(ResourceStatus s) {
        return trueConditions(s).stream().map(StatusCondition::getType).collect(Collectors.joining(","));
    }

    /** How long ago the True condition became so (the latest of them when several are), as kubectl shows it. */
    private static String statusAge(ResourceStatus s, Instant now) {
        return trueConditions(s).stream().map(StatusCondition::getLastTransitionTime).max(Comparator.naturalOrder())
            .map(since -> StatusAge.of(Duration.between(since, now))).orElse("");
    }

    private static String trueReasons(ResourceStatus s) {
        return trueConditions(s).stream().map(StatusCondition::getReason).collect(Collectors.joining(","));
    }

    /**
     * The messages of the True conditions, each once: a message another one repeats is left out (a retrying node's
     * Progressing message is {@code Retrying after attempt N failed: <its Failing message>}).
     */
    private static String trueMessages(ResourceStatus s) {
        List<String> messages = trueConditions(s).stream().map(StatusCondition::getMessage).filter(m -> !m.isEmpty()).toList();
        return messages.stream().filter(m -> messages.stream().noneMatch(other -> other.length() > m.length() && other.contains(m)))
            .distinct().collect(Collectors.joining("; "));
    }

    private static List<StatusCondition> trueConditions(ResourceStatus s) {
        return s.getConditions().stream().filter(c -> c.getStatus().equals("True")).toList();
    }

    /** Prints rows as kubectl does: columns left-aligned, three spaces apart, no trailing spaces. */
    static void print(PrintWriter out, List<List<String>> rows) {
        print(out, rows, true, new int[rows.get(0).size()]);
    }

    /**
     * Prints rows, the first (the header) only when {@code header}; each column at least as wide as {@code widths} says,
     * which it widens to the widest value printed, so that a watch's later rows line up under the earlier ones.
     */
    static void print(PrintWriter out, List<List<String>> rows, boolean header, int[] widths) {
        int columns = rows.get(0).size();
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : header ? rows : rows.subList(1, rows.size())) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 3));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
