package io.nmstream.status.cli;

import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.common.status.NmstateKind;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints what {@code nmstream get -w} sees the way {@code kubectl get -w} does: the list, then a row for each change, a
 * deletion included (with the resource's last status), in columns that stay lined up under the list; with
 * {@code --output-watch-events}, each row or document also says whether the resource was ADDED, MODIFIED or DELETED.
 */
final class WatchPrinter {

    static final String ADDED = "ADDED";
    static final String MODIFIED = "MODIFIED";
    static final String DELETED = "DELETED";

    private final PrintWriter out;
    private final Function<ResourceStatus, Map<String, Object>> objects;
    private final NmstateKind kind;
    private final OutputFormat format;
    private final boolean events;
    /** One resource is watched by name. */
    private final boolean single;
    /** Names the watch has shown and not seen deleted since. */
    private final Set<String> present = new HashSet<>();
    private int[] widths;
    private boolean printedDocument;

    /**
     * @param objects how a status prints as an object with {@code -o yaml|json}
     */
    WatchPrinter(PrintWriter out, NmstateKind kind, OutputFormat format, boolean events, boolean single,
                 Function<ResourceStatus, Map<String, Object>> objects) {
        this.objects = objects;
        this.out = out;
        this.kind = kind;
        this.format = format;
        this.events = events;
        this.single = single;
    }

    /** The resources that exist when the watch starts, with the table's header. */
    void list(List<ResourceStatus> statuses) {
        List<String> types = new ArrayList<>();
        for (ResourceStatus status : statuses) {
            present.add(status.getName());
            types.add(ADDED);
        }
        print(statuses, types, true);
    }

    /**
     * Statuses written since, in order: a deletion of a resource the watch never showed (deleted before it started, or
     * its deletion written again) prints nothing.
     */
    void changes(List<ResourceStatus> statuses) {
        List<ResourceStatus> shown = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (ResourceStatus status : statuses) {
            String type;
            if (status.getDeleted()) {
                type = present.remove(status.getName()) ? DELETED : null;
            } else {
                type = present.add(status.getName()) ? ADDED : MODIFIED;
            }
            if (type != null) {
                shown.add(status);
                types.add(type);
            }
        }
        if (!shown.isEmpty()) {
            print(shown, types, false);
        }
    }

    private void print(List<ResourceStatus> statuses, List<String> types, boolean header) {
        if (format == OutputFormat.YAML || format == OutputFormat.JSON) {
            for (int i = 0; i < statuses.size(); i++) {
                if (format == OutputFormat.YAML && printedDocument) {
                    out.println("---");
                }
                Map<String, Object> object = objects.apply(statuses.get(i));
                if (events) {
                    StatusPrinter.event(out, types.get(i), object, format);
                } else {
                    StatusPrinter.objects(out, List.of(object), true, format);
                }
                printedDocument = true;
            }
        } else if (format == OutputFormat.NAME) {
            statuses.forEach(status -> out.println(kind.objectName(status.getName())));
        } else if (kind == NmstateKind.NNS && single && !header && !events) {
            // one node watched by name: its interfaces, as `get nns NAME` shows them; every node watched: a row each
            StatusPrinter.interfaces(out, statuses.get(0));
        } else if (header || !statuses.isEmpty()) {
            List<List<String>> rows = StatusPrinter.rows(kind, statuses, format == OutputFormat.WIDE, Instant.now());
            if (events) {
                List<List<String>> withEvents = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    List<String> row = new ArrayList<>();
                    row.add(i == 0 ? "EVENT" : types.get(i - 1));
                    row.addAll(rows.get(i));
                    withEvents.add(row);
                }
                rows = withEvents;
            }
            if (widths == null) {
                widths = new int[rows.get(0).size()];
                if (events) {
                    widths[0] = MODIFIED.length(); // the widest event, so that the list's header already fits it
                }
            }
            StatusPrinter.print(out, rows, header, widths);
        }
        out.flush();
    }
}
