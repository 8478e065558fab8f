package io.nmstream.nmstate;

/**
 * nmstate's {@code vxlan} block.
 *
 * @param id {@code id}: the VXLAN network identifier (0 to 16777215)
 * @param baseIface {@code base-iface}: the interface tunnel packets leave through; null for any
 * @param remote {@code remote}: the remote VTEP or multicast group (canonical address)
 * @param local {@code local}: the local source address (canonical); null for any
 * @param destinationPort {@code destination-port}: UDP port, 4789 when not given
 * @param learning {@code learning}: learn remote addresses from traffic
 */
public record VxlanConfig(Integer id, String baseIface, String remote, String local, Integer destinationPort, Boolean learning) {

    /** This block with each field {@code update} gives replacing this one's. */
    public VxlanConfig overlay(VxlanConfig update) {
        if (update == null) {
            return this;
        }
        return new VxlanConfig(IpConfig.pick(update.id, id), IpConfig.pick(update.baseIface, baseIface),
            IpConfig.pick(update.remote, remote), IpConfig.pick(update.local, local),
            IpConfig.pick(update.destinationPort, destinationPort), IpConfig.pick(update.learning, learning));
    }
}
