package io.nmstream.nmstate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the link-layer blocks of a NIC: {@code ethernet} (link settings and SR-IOV virtual functions), {@code lldp} and the
 * IEEE 802.1Qaz (DCB) block {@code ieee-8021Qaz} RoCE NICs are configured with.
 */
final class LinkBlockParser {

    static final int MAX_PRIORITY = Ieee8021QazConfig.PRIORITIES - 1;
    static final int TOTAL_BANDWIDTH = 100;
    static final List<String> ALGORITHMS = List.of(Ieee8021QazConfig.ETS, Ieee8021QazConfig.STRICT);
    private static final String NOT_APPLIED = " is known to nmstate, but nmstream does not apply it";
    private static final List<String> VF_KEYS = List.of("id", "mac-address", "spoof-check", "trust", "min-tx-rate", "max-tx-rate",
        "vlan-id", "qos");
    private static final String WILLING = "willing (DCBX negotiation with the switch) is not supported by nmstream: the host's "
        + "settings are applied as given";

    private LinkBlockParser() {
    }

    /** {@code lldp.enabled}; {@code neighbors} is what the host learnt and cannot be desired. */
    static Boolean lldp(Located n) {
        if (!n.block("lldp", List.of("enabled"), Map.of("neighbors",
            "neighbors is read-only in nmstate (what the host learnt from its peers); a desired state cannot set it"))) {
            return null;
        }
        return InterfaceParser.bool(n, "enabled");
    }

    /** Manages the ethernet block: speed, duplex, auto-negotiation and SR-IOV virtual functions. */
    static EthernetConfig ethernet(Located n) {
        if (!n.block("ethernet", List.of("sr-iov", "auto-negotiation", "speed", "duplex"), Map.of())) {
            return null;
        }
        Located speed = n.field("speed");
        Located duplex = n.field("duplex");
        Located sriov = n.field("sr-iov");
        return new EthernetConfig(InterfaceParser.bool(n, "auto-negotiation"), speed == null ? null : speed.intValue(1, Integer.MAX_VALUE),
            duplex == null ? null : duplex.oneOf(List.of("full", "half")), sriov == null ? null : sriov(sriov));
    }

    private static EthernetConfig.Sriov sriov(Located n) {
        if (!n.block("sr-iov", List.of("drivers-autoprobe", "total-vfs", "vfs"), Map.of())) {
            return null;
        }
        Located totalNode = n.field("total-vfs");
        Integer total = totalNode == null ? null : totalNode.intValue(0, 65535);
        Located vfsNode = n.field("vfs");
        List<Located> entries = vfsNode == null ? null : vfsNode.list();
        List<EthernetConfig.Vf> vfs = null;
        if (entries != null) {
            vfs = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            for (Located entry : entries) {
                EthernetConfig.Vf vf = vf(entry, total);
                if (vf != null && !seen.add(vf.id())) {
                    entry.field("id").problem("each virtual function may be listed once");
                } else if (vf != null) {
                    vfs.add(vf);
                }
            }
        }
        return new EthernetConfig.Sriov(total, vfs, InterfaceParser.bool(n, "drivers-autoprobe"));
    }

    private static EthernetConfig.Vf vf(Located n, Integer total) {
        if (!n.block("a virtual function", VF_KEYS, Map.of("vlan-proto", "vlan-proto" + NOT_APPLIED + " (VLANs of virtual "
            + "functions are 802.1Q)", "iface-name", "iface-name is read-only in nmstate (the host names virtual functions)"))) {
            return null;
        }
        Located idNode = n.field("id");
        Integer id = null;
        if (idNode == null) {
            n.missing("id", "the index of the virtual function");
        } else if (total != null && total == 0) {
            idNode.problem("no virtual function exists while total-vfs is 0");
        } else {
            id = idNode.intValue(0, total == null ? 65534 : total - 1);
        }
        Located mac = n.field("mac-address");
        Integer minTx = integer(n, "min-tx-rate", Integer.MAX_VALUE);
        Integer maxTx = integer(n, "max-tx-rate", Integer.MAX_VALUE);
        Integer vlanId = integer(n, "vlan-id", TypeBlockParser.MAX_VLAN_ID);
        Integer qos = integer(n, "qos", MAX_PRIORITY);
        String macAddress = mac == null ? null : mac.macAddress();
        Boolean spoofCheck = InterfaceParser.bool(n, "spoof-check");
        Boolean trust = InterfaceParser.bool(n, "trust");
        return id == null ? null : new EthernetConfig.Vf(id, macAddress, spoofCheck, trust, minTx, maxTx, vlanId, qos);
    }

    private static Integer integer(Located n, String key, int max) {
        Located field = n.field(key);
        return field == null ? null : field.intValue(0, max);
    }

    /** Manages the DCB block: PFC on distinct priorities 0–7, and ETS classes whose bandwidths add up to 100. */
    static Ieee8021QazConfig ieee8021Qaz(Located n) {
        if (!n.block("ieee-8021Qaz", List.of("pfc", "ets"), Map.of("willing", WILLING))) {
            return null;
        }
        List<Integer> pfcEnabled = null;
        Integer pfcDelay = null;
        Located pfc = n.field("pfc");
        if (pfc != null && pfc.block("pfc", List.of("enabled", "delay"), Map.of())) {
            Located delay = pfc.field("delay");
            pfcDelay = delay == null ? null : delay.intValue(0, 65535);
            if (pfcDelay != null && pfcDelay != 0) {
                // NetworkManager's dcb setting has no delay allowance: a node could only refuse it, so ingest does
                delay.problem("must be 0: a PFC delay allowance is not supported by nmstream (NetworkManager's dcb setting has none)");
                pfcDelay = null;
            }
            Located enabled = pfc.field("enabled");
            List<Located> priorities = enabled == null ? null : enabled.list();
            if (priorities != null) {
                pfcEnabled = new ArrayList<>();
                for (Located priority : priorities) {
                    Integer value = priority.intValue(0, MAX_PRIORITY);
                    if (value != null && pfcEnabled.contains(value)) {
                        priority.problem("each priority may be listed once");
                    } else if (value != null) {
                        pfcEnabled.add(value);
                    }
                }
            }
        }
        List<Ieee8021QazConfig.TrafficClass> classes = null;
        Located ets = n.field("ets");
        if (ets != null && ets.block("ets", List.of("traffic-class"), Map.of("willing", WILLING))) {
            Located classesNode = ets.field("traffic-class");
            classes = classesNode == null ? null : trafficClasses(classesNode);
        }
        return new Ieee8021QazConfig(pfcEnabled, pfcDelay, classes);
    }

    private static List<Ieee8021QazConfig.TrafficClass> trafficClasses(Located n) {
        List<Located> entries = n.list();
        if (entries == null) {
            return null;
        }
        List<Ieee8021QazConfig.TrafficClass> classes = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        boolean complete = true;
        boolean anyEts = false;
        int sum = 0;
        for (Located entry : entries) {
            if (!entry.block("an ETS traffic class", List.of("traffic-class", "bandwidth", "algorithm"), Map.of())) {
                complete = false;
                continue;
            }
            Located classNode = entry.field("traffic-class");
            Integer trafficClass = null;
            if (classNode == null) {
                entry.missing("traffic-class", "a traffic class from 0 to " + MAX_PRIORITY);
            } else {
                trafficClass = classNode.intValue(0, MAX_PRIORITY);
                if (trafficClass != null && !seen.add(trafficClass)) {
                    classNode.problem("each traffic class may be listed once");
                    trafficClass = null;
                }
            }
            Located algorithmNode = entry.field("algorithm");
            String algorithm = algorithmNode == null ? Ieee8021QazConfig.ETS : algorithmNode.oneOf(ALGORITHMS);
            Located bandwidthNode = entry.field("bandwidth");
            Integer bandwidth = bandwidthNode == null ? Integer.valueOf(0) : bandwidthNode.intValue(0, TOTAL_BANDWIDTH);
            if (bandwidth == null || algorithm == null || trafficClass == null) {
                complete = false;
                continue;
            }
            if (algorithm.equals(Ieee8021QazConfig.ETS)) {
                anyEts = true;
                sum += bandwidth;
            } else if (bandwidth != 0) {
                bandwidthNode.problem("only enhanced-transmission-selection classes get a bandwidth share; " + algorithm
                    + " must have 0");
            }
            classes.add(new Ieee8021QazConfig.TrafficClass(trafficClass, bandwidth, algorithm));
        }
        if (complete && anyEts && sum != TOTAL_BANDWIDTH) {
            n.problemAt(n.path(), "bandwidth sum " + sum, "the bandwidths of the ETS traffic classes must add up to " + TOTAL_BANDWIDTH);
        }
        return classes;
    }
}
