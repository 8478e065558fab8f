package io.nmstream.status.fold;

import io.nmstream.schemas.avro.ResourceKind;
import io.nmstream.schemas.avro.ResourceStatus;
import java.util.Locale;

/** The key of a status record: {@code <kind>/<name>}, the kind in lower case ({@code nncp/br1-policy}). */
public final class StatusKey {

    private StatusKey() {
    }

    public static String of(ResourceKind kind, String name) {
        return kind.name().toLowerCase(Locale.ROOT) + "/" + name;
    }

    public static String of(ResourceStatus status) {
        return of(status.getKind(), status.getName());
    }
}
