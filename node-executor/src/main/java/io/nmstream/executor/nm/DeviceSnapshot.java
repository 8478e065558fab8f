package io.nmstream.executor.nm;

import io.nmstream.nmstate.IpAddress;
import io.nmstream.nmstate.Route;
import java.util.List;

/**
 * What NetworkManager says about one device at one moment: the raw material of a current state.
 *
 * @param name interface name
 * @param deviceType NM_DEVICE_TYPE
 * @param state NM_DEVICE_STATE
 * @param managed whether NetworkManager manages the device
 * @param mtu current MTU
 * @param hwAddress current MAC address
 * @param ipv4Addresses addresses of the device's IPv4 configuration
 * @param ipv6Addresses addresses of the device's IPv6 configuration
 * @param runningRoutes routes of the device's IP configurations
 * @param activeProfile settings of the profile active on the device; null when none is
 * @param vethPeer peer interface of a veth; null otherwise
 * @param permanentHwAddress the MAC address an Ethernet NIC was made with; null or empty when it has none (a veth)
 */
public record DeviceSnapshot(String name, long deviceType, long state, boolean managed, long mtu, String hwAddress,
                             List<IpAddress> ipv4Addresses, List<IpAddress> ipv6Addresses, List<Route> runningRoutes,
                             NmSettings activeProfile, String vethPeer, String permanentHwAddress) {

    /** A device without a permanent MAC address. */
    public DeviceSnapshot(String name, long deviceType, long state, boolean managed, long mtu, String hwAddress,
                          List<IpAddress> ipv4Addresses, List<IpAddress> ipv6Addresses, List<Route> runningRoutes,
                          NmSettings activeProfile, String vethPeer) {
        this(name, deviceType, state, managed, mtu, hwAddress, ipv4Addresses, ipv6Addresses, runningRoutes, activeProfile, vethPeer,
            null);
    }

    /** NM_DEVICE_STATE_ACTIVATED. */
    public static final long STATE_ACTIVATED = 100;
    /** NM_DEVICE_STATE_UNMANAGED. */
    public static final long STATE_UNMANAGED = 10;
    /** NM_DEVICE_STATE_IP_CONFIG: the link is configured, its IP configuration (DHCP, say) is being obtained. */
    public static final long STATE_IP_CONFIG = 70;

    /**
     * Whether the interface is up: activated, or with its link configured and its addresses still coming (an interface
     * waiting for a DHCP server stays there), as nmstate reports such an interface.
     */
    public boolean isUp() {
        return state >= STATE_IP_CONFIG && state <= STATE_ACTIVATED;
    }
}
