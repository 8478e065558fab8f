package io.nmstream.executor.nm;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * One NetworkManager connection profile as D-Bus carries it: {@code a{sa{sv}}}, setting name to property name to
 * value. Typed putters pick the D-Bus signature NetworkManager expects for each kind of value.
 */
public final class NmSettings {

    private final Map<String, Map<String, Variant<?>>> sections = new LinkedHashMap<>();

    /** A deep copy of settings as {@code GetSettings} returns them. */
    public static NmSettings of(Map<String, Map<String, Variant<?>>> settings) {
        NmSettings out = new NmSettings();
        settings.forEach((section, values) -> out.sections.put(section, new LinkedHashMap<>(values)));
        return out;
    }

    public NmSettings copy() {
        return of(sections);
    }

    /** The settings in the form {@code AddConnection2} and {@code Update2} take. */
    public Map<String, Map<String, Variant<?>>> toDbus() {
        Map<String, Map<String, Variant<?>>> out = new LinkedHashMap<>();
        sections.forEach((section, values) -> out.put(section, new LinkedHashMap<>(values)));
        return out;
    }

    public boolean has(String section) {
        return sections.containsKey(section);
    }

    /** The raw value of a property, unwrapped from its variant; null when unset. */
    public Object value(String section, String key) {
        Map<String, Variant<?>> values = sections.get(section);
        Variant<?> v = values == null ? null : values.get(key);
        return v == null ? null : v.getValue();
    }

    /** The D-Bus signature of a property; null when unset. */
    public String signature(String section, String key) {
        Map<String, Variant<?>> values = sections.get(section);
        Variant<?> v = values == null ? null : values.get(key);
        return v == null ? null : v.getSig();
    }

    public String string(String section, String key) {
        Object v = value(section, key);
        return v == null ? null : v.toString();
    }

    /** A numeric property as a long (whatever its D-Bus integer type); null when unset. */
    public Long number(String section, String key) {
        Object v = value(section, key);
        return v instanceof Number n ? Long.valueOf(n.longValue()) : null;
    }

    /** An {@code aa{sv}} property (address-data, route-data) as plain maps; empty when unset. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> records(String section, String key) {
        Object v = value(section, key);
        if (!(v instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(item -> {
            Map<String, Object> plain = new LinkedHashMap<>();
            ((Map<String, Variant<?>>) item).forEach((k, val) -> plain.put(k, val.getValue()));
            return plain;
        }).toList();
    }

    public NmSettings section(String section) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
        return this;
    }

    public NmSettings removeSection(String section) {
        sections.remove(section);
        return this;
    }

    public NmSettings remove(String section, String key) {
        Map<String, Variant<?>> values = sections.get(section);
        if (values != null) {
            values.remove(key);
        }
        return this;
    }

    private NmSettings put(String section, String key, Variant<?> value) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    public NmSettings putString(String section, String key, String value) {
        return put(section, key, new Variant<>(value));
    }

    public NmSettings putBoolean(String section, String key, boolean value) {
        return put(section, key, new Variant<>(value));
    }

    public NmSettings putInt32(String section, String key, int value) {
        return put(section, key, new Variant<>(value));
    }

    public NmSettings putInt64(String section, String key, long value) {
        return put(section, key, new Variant<>(value));
    }

    public NmSettings putUInt32(String section, String key, long value) {
        return put(section, key, new Variant<>(new UInt32(value)));
    }

    public NmSettings putStrings(String section, String key, List<String> values) {
        return put(section, key, new Variant<>(List.copyOf(values), "as"));
    }

    public NmSettings putUInt32s(String section, String key, List<Long> values) {
        return put(section, key, new Variant<>(values.stream().map(UInt32::new).toList(), "au"));
    }

    public NmSettings putByteArrays(String section, String key, List<byte[]> values) {
        return put(section, key, new Variant<>(List.copyOf(values), "aay"));
    }

    public NmSettings putStringMap(String section, String key, Map<String, String> values) {
        return put(section, key, new Variant<>(new LinkedHashMap<>(values), "a{ss}"));
    }

    /** An {@code aa{sv}} property; each record's values are wrapped with the signature their Java type implies. */
    public NmSettings putRecords(String section, String key, List<Map<String, Variant<?>>> records) {
        return put(section, key, new Variant<>(List.copyOf(records), "aa{sv}"));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        sections.forEach((section, values) -> values.forEach((k, v) -> out.append(section).append('.').append(k).append(" = ")
            .append(v.getValue() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.getValue())
            .append('\n')));
        return out.toString();
    }
}
