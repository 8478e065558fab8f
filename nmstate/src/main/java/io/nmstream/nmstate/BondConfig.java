package io.nmstream.nmstate;

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
}
