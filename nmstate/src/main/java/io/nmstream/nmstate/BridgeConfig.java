package io.nmstream.nmstate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * nmstate's {@code bridge} block of a linux-bridge or an ovs-bridge.
 *
 * @param options {@code options}; null when not given
 * @param ports {@code port}: the port interfaces; null when not given, empty to release every port
 */
public record BridgeConfig(Options options, List<Port> ports) {

    public BridgeConfig {
        ports = ports == null ? null : List.copyOf(ports);
    }

    /** A bridge with only an STP setting and plain ports (what most policies and hosts say). */
    public static BridgeConfig of(Boolean stpEnabled, List<String> portNames) {
        return new BridgeConfig(stpEnabled == null ? null : Options.stp(stpEnabled),
            portNames == null ? null : portNames.stream().map(Port::named).toList());
    }

    /** {@code options.stp.enabled} (linux-bridge) or {@code options.stp} (ovs-bridge); null when not given. */
    public Boolean stpEnabled() {
        return options == null ? null : options.stpEnabled();
    }

    /**
     * This block with {@code update}'s given fields over it, as nmstate merges: each option not given stays, a port list
     * given replaces the port list.
     */
    public BridgeConfig overlay(BridgeConfig update) {
        if (update == null) {
            return this;
        }
        return new BridgeConfig(options == null ? update.options : options.overlay(update.options),
            IpConfig.pick(update.ports, ports));
    }

    /** The ports' names; null when the port list is not given. */
    public List<String> portNames() {
        return ports == null ? null : ports.stream().map(Port::name).toList();
    }

    /**
     * {@code bridge.options}. Every field is optional.
     *
     * @param stpEnabled STP on or off
     * @param stpForwardDelay {@code stp.forward-delay} in seconds (linux-bridge)
     * @param stpHelloTime {@code stp.hello-time} in seconds (linux-bridge)
     * @param stpMaxAge {@code stp.max-age} in seconds (linux-bridge)
     * @param stpPriority {@code stp.priority} (linux-bridge)
     * @param macAgeingTime {@code mac-ageing-time} in seconds (linux-bridge)
     * @param multicastSnooping {@code multicast-snooping} (linux-bridge) or {@code mcast-snooping-enable} (ovs-bridge)
     * @param more the other linux-bridge options given, each with its value in the form {@link LinuxBridgeOption} says
     */
    public record Options(Boolean stpEnabled, Integer stpForwardDelay, Integer stpHelloTime, Integer stpMaxAge, Integer stpPriority,
                          Integer macAgeingTime, Boolean multicastSnooping, Map<LinuxBridgeOption, Object> more) {

        public Options {
            Map<LinuxBridgeOption, Object> copy = new EnumMap<>(LinuxBridgeOption.class);
            if (more != null) {
                copy.putAll(more);
            }
            more = Collections.unmodifiableMap(copy);
        }

        /** Options without any of the {@link LinuxBridgeOption}s. */
        public Options(Boolean stpEnabled, Integer stpForwardDelay, Integer stpHelloTime, Integer stpMaxAge, Integer stpPriority,
                       Integer macAgeingTime, Boolean multicastSnooping) {
            this(stpEnabled, stpForwardDelay, stpHelloTime, stpMaxAge, stpPriority, macAgeingTime, multicastSnooping, Map.of());
        }

        public static Options stp(boolean enabled) {
            return new Options(enabled, null, null, null, null, null, null);
        }

        /** These options with each one {@code update} gives replacing this one. */
        public Options overlay(Options update) {
            if (update == null) {
                return this;
            }
            Map<LinuxBridgeOption, Object> merged = new EnumMap<>(LinuxBridgeOption.class);
            merged.putAll(more);
            merged.putAll(update.more);
            return new Options(IpConfig.pick(update.stpEnabled, stpEnabled), IpConfig.pick(update.stpForwardDelay, stpForwardDelay),
                IpConfig.pick(update.stpHelloTime, stpHelloTime), IpConfig.pick(update.stpMaxAge, stpMaxAge),
                IpConfig.pick(update.stpPriority, stpPriority), IpConfig.pick(update.macAgeingTime, macAgeingTime),
                IpConfig.pick(update.multicastSnooping, multicastSnooping), merged);
        }
    }

    /**
     * One entry of {@code bridge.port}.
     *
     * @param name the port interface
     * @param vlan {@code vlan}: the port's VLAN filtering; null when not given
     */
    public record Port(String name, PortVlan vlan) {
        public static Port named(String name) {
            return new Port(name, null);
        }
    }

    /**
     * A bridge port's {@code vlan} block.
     *
     * @param mode {@code mode}: access or trunk
     * @param tag {@code tag}: the access VLAN, or a trunk's native VLAN
     * @param enableNative {@code enable-native}: untagged frames of a trunk go to {@code tag}
     * @param trunkTags {@code trunk-tags}: VLANs a trunk carries; null when not given
     */
    public record PortVlan(String mode, Integer tag, Boolean enableNative, List<TrunkTag> trunkTags) {
        public PortVlan {
            trunkTags = trunkTags == null ? null : List.copyOf(trunkTags);
        }
    }

    /** One of a trunk's {@code trunk-tags}: a single {@code id}, or an {@code id-range} from {@code min} to {@code max}. */
    public record TrunkTag(Integer id, Integer min, Integer max) {
        /** The lowest VLAN of this entry. */
        public int from() {
            return id != null ? id : min;
        }

        /** The highest VLAN of this entry. */
        public int to() {
            return id != null ? id : max;
        }
    }
}
