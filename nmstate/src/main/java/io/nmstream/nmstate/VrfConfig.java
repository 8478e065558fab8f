package io.nmstream.nmstate;

import java.util.List;

/**
 * nmstate's {@code vrf} block.
 *
 * @param ports {@code port}: interfaces enslaved to the VRF; null when not given
 * @param routeTableId {@code route-table-id}: the routing table the VRF uses
 */
public record VrfConfig(List<String> ports, Long routeTableId) {
    public VrfConfig {
        ports = ports == null ? null : List.copyOf(ports);
    }

    /** This block with each field {@code update} gives replacing this one's (a port list as a whole). */
    public VrfConfig overlay(VrfConfig update) {
        return update == null ? this : new VrfConfig(IpConfig.pick(update.ports, ports), IpConfig.pick(update.routeTableId, routeTableId));
    }
}
