package io.nmstream.nmstate;

/**
 * nmstate's {@code mac-vlan} block.
 *
 * @param baseIface {@code base-iface}: the parent interface
 * @param mode {@code mode}: vepa, bridge, private, passthru or source
 * @param promiscuous {@code promiscuous}
 */
public record MacVlanConfig(String baseIface, String mode, Boolean promiscuous) {

    /** This block with each field {@code update} gives replacing this one's. */
    public MacVlanConfig overlay(MacVlanConfig update) {
        return update == null ? this : new MacVlanConfig(IpConfig.pick(update.baseIface, baseIface), IpConfig.pick(update.mode, mode),
            IpConfig.pick(update.promiscuous, promiscuous));
    }
}
