package io.nmstream.nmstate;

/** nmstate's {@code vlan} block: the base interface and the 802.1Q id. */
public record VlanConfig(String baseIface, Integer id) {

    /** This block with each field {@code update} gives replacing this one's. */
    public VlanConfig overlay(VlanConfig update) {
        return update == null ? this : new VlanConfig(IpConfig.pick(update.baseIface, baseIface), IpConfig.pick(update.id, id));
    }
}
