package io.nmstream.nmstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nmstate's {@code link-aggregation} block of a bond.
 *
 * @param mode bonding mode (balance-rr, active-backup, 802.3ad, ...); null when not given
 * @param options kernel bonding options such as {@code miimon}; null when not given
 * @param ports names of the port interfaces; null when not given, empty to release every port
 */
public record BondConfig(String mode, Map<String, String> options, List<String> ports) {

    public BondConfig {
        options = options == null ? null : Map.copyOf(options);
        ports = ports == null ? null : List.copyOf(ports);
    }

    /**
     * This block with {@code update}'s given fields over it, as nmstate merges: options not given stay while the mode
     * stays (a new mode starts from the options given with it), a port list given replaces the port list.
     */
    public BondConfig overlay(BondConfig update) {
        if (update == null) {
            return this;
        }
        boolean newMode = update.mode != null && !update.mode.equals(mode);
        Map<String, String> merged = options;
        if (newMode || options == null) {
            merged = update.options;
        } else if (update.options != null) {
            Map<String, String> both = new LinkedHashMap<>(options);
            both.putAll(update.options);
            merged = both;
        }
        return new BondConfig(IpConfig.pick(update.mode, mode), merged, IpConfig.pick(update.ports, ports));
    }
}
