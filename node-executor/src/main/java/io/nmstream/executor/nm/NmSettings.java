package io.nmstream.executor.nm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
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

    public NmSettings putUInt64(String section, String key, long value) {
        return put(section, key, new Variant<>(new UInt64(value)));
    }

    public NmSettings putBytes(String section, String key, byte[] value) {
        return put(section, key, new Variant<>(value.clone(), "ay"));
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

    /**
     * The properties ({@code section.property}, or {@code section} for a whole setting one has and the other lacks) whose
     * values differ between these settings and {@code other}, comparing values by content (D-Bus byte arrays included, and
     * numbers by value whatever their D-Bus type). A property one side lacks is the same when the other holds its
     * default from {@code defaults} ({@code section.property} to value): GetSettings leaves out what is at its default.
     */
    public List<String> differences(NmSettings other, Map<String, Object> defaults) {
        List<String> out = new ArrayList<>();
        Set<String> names = new TreeSet<>(sections.keySet());
        names.addAll(other.sections.keySet());
        for (String section : names) {
            Map<String, Variant<?>> mine = sections.get(section);
            Map<String, Variant<?>> theirs = other.sections.get(section);
            if (mine == null || theirs == null) {
                out.add(section);
                continue;
            }
            Set<String> keys = new TreeSet<>(mine.keySet());
            keys.addAll(theirs.keySet());
            for (String key : keys) {
                Variant<?> a = mine.get(key);
                Variant<?> b = theirs.get(key);
                Object present = a == null ? b : b == null ? a : null;
                if (present != null && defaults.containsKey(section + "." + key)
                    && sameValue(present, defaults.get(section + "." + key))) {
                    continue;
                }
                if (!sameValue(a, b)) {
                    out.add(section + "." + key);
                }
            }
        }
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        Object x = plain(a);
        Object y = plain(b);
        if (x instanceof List<?> xs && y instanceof List<?> ys) {
            if (xs.size() != ys.size()) {
                return false;
            }
            for (int i = 0; i < xs.size(); i++) {
                if (!sameValue(xs.get(i), ys.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof Map<?, ?> xs && y instanceof Map<?, ?> ys) {
            return xs.keySet().equals(ys.keySet()) && xs.keySet().stream().allMatch(k -> sameValue(xs.get(k), ys.get(k)));
        }
        if (x instanceof Number m && y instanceof Number n) {
            return m.longValue() == n.longValue();
        }
        return Objects.equals(x, y);
    }

    /**
     * A value as a list where D-Bus may give it as one or as an array: dbus-java decodes an {@code aay} as a list of byte
     * arrays, of lists, or an array of arrays, depending on how it was sent.
     */
    private static Object plain(Object value) {
        Object v = value instanceof Variant<?> variant ? variant.getValue() : value;
        if (v instanceof byte[] bytes) {
            List<Byte> out = new ArrayList<>(bytes.length);
            for (byte b : bytes) {
                out.add(b);
            }
            return out;
        }
        return v instanceof Object[] array ? Arrays.asList(array) : v;
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
