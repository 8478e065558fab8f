package io.nmstream.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a new schema against earlier versions with Avro's own {@link SchemaCompatibility}, and words each
 * incompatibility so that it names the field, as a user fixing the schema needs it.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Incompatibilities of {@code candidate} with {@code earlier} (oldest first) under {@code level}; empty when
     * compatible.
     */
    public static List<String> check(Schema candidate, List<Schema> earlier, CompatibilityLevel level) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return problems;
        }
        List<Schema> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
        for (Schema old : against) {
            if (level.backward()) {
                // BACKWARD: consumers on the new schema read data written with the old one
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), candidate, "new schema cannot read data "
                    + "written with the earlier version", problems);
            }
            if (level.forward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), old, "earlier version cannot read data "
                    + "written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, Schema reader, String direction,
        List<String> problems) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            String field = fieldPath(reader, incompatibility.getLocation());
            problems.add(direction + ": " + incompatibility.getType() + " at field '" + field + "': " + incompatibility.getMessage());
        }
    }

    /** Turns Avro's JSON-pointer location ("/fields/3/type/symbols") into a dotted field path ("phase"). */
    static String fieldPath(Schema root, String location) {
        String[] parts = location.split("/");
        StringBuilder path = new StringBuilder();
        Schema current = root;
        for (int i = 0; i < parts.length; i++) {
            if ("fields".equals(parts[i]) && i + 1 < parts.length && current != null && current.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(parts[i + 1]);
                if (index < current.getFields().size()) {
                    Schema.Field field = current.getFields().get(index);
                    path.append(path.length() == 0 ? "" : ".").append(field.name());
                    current = unwrap(field.schema());
                }
                i++;
            } else if ("items".equals(parts[i]) && current != null && current.getType() == Schema.Type.ARRAY) {
                current = unwrap(current.getElementType());
            } else if ("values".equals(parts[i]) && current != null && current.getType() == Schema.Type.MAP) {
                current = unwrap(current.getValueType());
            }
        }
        return path.length() == 0 ? root.getFullName() : path.toString();
    }

    private static Schema unwrap(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }
}
