package io.nmstream.executor.nm;

import io.nmstream.nmstate.Ieee8021QazConfig;
import io.nmstream.nmstate.Ieee8021QazConfig.TrafficClass;
import io.nmstream.nmstate.InvalidStateException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Translates nmstate's {@code ieee-8021Qaz} block to NetworkManager's {@code dcb} setting and back. Every array below
 * has 8 entries ({@code au} over D-Bus); an index is an 802.1p priority unless said otherwise.
 *
 * <ul>
 *   <li>{@code pfc.enabled: [3]} → {@code priority-flow-control-flags} = ENABLE, {@code priority-flow-control[p]} = 1 for
 *       the listed priorities and 0 for the others. NetworkManager has no PFC delay allowance: {@code pfc.delay} can only
 *       be 0 (the default) and anything else is refused.</li>
 *   <li>{@code ets.traffic-class} → {@code priority-group-flags} = ENABLE. Priority p is carried by traffic class p when
 *       that class is listed, and by the lowest listed class otherwise. Then {@code priority-traffic-class[p]} = that
 *       class; {@code priority-group-id[p]} = that class, or 15 (NetworkManager's unrestricted group) when the class is
 *       {@code strict-priority}; {@code priority-strict-bandwidth[p]} = 1 for priorities of a strict class;
 *       {@code priority-group-bandwidth[g]} (indexed by group) = the bandwidth of class g, 0 for unlisted classes;
 *       {@code priority-bandwidth[p]} = p's share of its group, the group's priorities splitting 100 evenly (0 in group
 *       15), since NetworkManager requires the shares of a group to add up to 100.</li>
 * </ul>
 */
final class DcbSettings {

    static final String SECTION = "dcb";
    /** {@code dcb.*-flags}: ENABLE. */
    private static final long FLAG_ENABLE = 1;
    /** {@code dcb.priority-group-id} of priorities whose class has no bandwidth share: the unrestricted group. */
    static final int STRICT_GROUP = 15;

    private DcbSettings() {
    }

    /** Writes {@code dcb} into {@code s}; the parts the block leaves out (PFC or ETS) are kept as they are. */
    static void apply(NmSettings s, String iface, Ieee8021QazConfig dcb) {
        if (dcb.pfcDelay() != null && dcb.pfcDelay() != 0) {
            throw new InvalidStateException("Interface " + iface + ": ieee-8021Qaz.pfc.delay " + dcb.pfcDelay()
                + " is not allowed: NetworkManager's dcb setting has no PFC delay allowance (only 0 can be applied)");
        }
        if (dcb.pfcEnabled() != null) {
            List<Long> pfc = new ArrayList<>();
            for (int p = 0; p < Ieee8021QazConfig.PRIORITIES; p++) {
                pfc.add(dcb.pfcEnabled().contains(p) ? 1L : 0L);
            }
            s.putUInt32("dcb", "priority-flow-control-flags", dcb.pfcEnabled().isEmpty() ? 0 : FLAG_ENABLE);
            s.putUInt32s("dcb", "priority-flow-control", dcb.pfcEnabled().isEmpty() ? zeros() : pfc);
        }
        if (dcb.trafficClasses() != null) {
            ets(s, iface, dcb.trafficClasses());
        }
    }

    private static void ets(NmSettings s, String iface, List<TrafficClass> classes) {
        if (classes.isEmpty()) {
            for (String key : List.of("priority-group-id", "priority-group-bandwidth", "priority-bandwidth",
                "priority-strict-bandwidth", "priority-traffic-class")) {
                s.putUInt32s("dcb", key, zeros());
            }
            s.putUInt32("dcb", "priority-group-flags", 0);
            return;
        }
        TreeMap<Integer, TrafficClass> byClass = new TreeMap<>();
        for (TrafficClass tc : classes) {
            if (tc.trafficClass() < 0 || tc.trafficClass() >= Ieee8021QazConfig.PRIORITIES) {
                throw new InvalidStateException("Interface " + iface + ": ieee-8021Qaz.ets.traffic-class " + tc.trafficClass()
                    + " is not allowed: traffic classes are 0 to 7");
            }
            byClass.put(tc.trafficClass(), tc);
        }
        List<Long> groupBandwidth = zeros();
        byClass.values().forEach(tc -> groupBandwidth.set(tc.trafficClass(), strict(tc) ? 0L : tc.bandwidth()));
        if (groupBandwidth.stream().mapToLong(Long::longValue).sum() != 100) {
            throw new InvalidStateException("Interface " + iface + ": ieee-8021Qaz.ets.traffic-class bandwidths add up to "
                + groupBandwidth.stream().mapToLong(Long::longValue).sum()
                + ", which is not allowed: the enhanced-transmission-selection classes must add up to 100");
        }
        List<Integer> groups = new ArrayList<>();
        List<Long> trafficClass = new ArrayList<>();
        List<Long> strict = new ArrayList<>();
        for (int p = 0; p < Ieee8021QazConfig.PRIORITIES; p++) {
            TrafficClass carrier = byClass.getOrDefault(p, byClass.firstEntry().getValue());
            groups.add(strict(carrier) ? STRICT_GROUP : carrier.trafficClass());
            trafficClass.add((long) carrier.trafficClass());
            strict.add(strict(carrier) ? 1L : 0L);
        }
        s.putUInt32("dcb", "priority-group-flags", FLAG_ENABLE);
        s.putUInt32s("dcb", "priority-group-id", groups.stream().map(Integer::longValue).toList());
        s.putUInt32s("dcb", "priority-group-bandwidth", groupBandwidth);
        s.putUInt32s("dcb", "priority-bandwidth", priorityShares(groups));
        s.putUInt32s("dcb", "priority-strict-bandwidth", strict);
        s.putUInt32s("dcb", "priority-traffic-class", trafficClass);
    }

    private static boolean strict(TrafficClass tc) {
        return Ieee8021QazConfig.STRICT.equals(tc.algorithm());
    }

    private static List<Long> zeros() {
        return new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
    }

    /**
     * {@code dcb.priority-bandwidth}: each priority's share of its group, which NetworkManager requires to add up to 100
     * within every group. The group's bandwidth is split evenly between its priorities; group 15 has no share.
     */
    static List<Long> priorityShares(List<Integer> groups) {
        List<Long> shares = new ArrayList<>();
        for (int p = 0; p < groups.size(); p++) {
            int group = groups.get(p);
            long members = groups.stream().filter(g -> g == group).count();
            long firstOfGroup = groups.indexOf(group);
            long share = 100 / members + (p == firstOfGroup ? 100 % members : 0);
            shares.add(group == STRICT_GROUP ? 0L : share);
        }
        return shares;
    }

    /** The {@code ieee-8021Qaz} block a profile's {@code dcb} setting realises; null when the profile has none. */
    static Ieee8021QazConfig read(NmSettings s) {
        if (!s.has(SECTION)) {
            return null;
        }
        List<Integer> pfcEnabled = List.of();
        if (enabled(s, "priority-flow-control-flags")) {
            List<Long> pfc = NmStateReader.longs(s.value("dcb", "priority-flow-control"));
            List<Integer> on = new ArrayList<>();
            for (int p = 0; p < pfc.size(); p++) {
                if (pfc.get(p) != 0) {
                    on.add(p);
                }
            }
            pfcEnabled = on;
        }
        List<TrafficClass> classes = List.of();
        if (enabled(s, "priority-group-flags")) {
            List<Long> groupIds = NmStateReader.longs(s.value("dcb", "priority-group-id"));
            List<Long> tcs = NmStateReader.longs(s.value("dcb", "priority-traffic-class"));
            List<Long> bandwidth = NmStateReader.longs(s.value("dcb", "priority-group-bandwidth"));
            TreeMap<Integer, TrafficClass> byClass = new TreeMap<>();
            for (int p = 0; p < groupIds.size(); p++) {
                int group = groupIds.get(p).intValue();
                int tc = p < tcs.size() ? tcs.get(p).intValue() : group;
                boolean isStrict = group == STRICT_GROUP;
                long bw = isStrict || group >= bandwidth.size() ? 0 : bandwidth.get(group);
                byClass.putIfAbsent(tc, new TrafficClass(tc, (int) bw, isStrict ? Ieee8021QazConfig.STRICT : Ieee8021QazConfig.ETS));
            }
            classes = List.copyOf(byClass.values());
        }
        return new Ieee8021QazConfig(pfcEnabled, null, classes);
    }

    private static boolean enabled(NmSettings s, String flags) {
        Long value = s.number("dcb", flags);
        return value != null && (value & FLAG_ENABLE) != 0;
    }
}
