package io.nmstream.executor.model;

import java.util.Objects;

/**
 * One interface of an nmstate document. Except for {@code name}, every field is optional: null means "not mentioned",
 * which an apply leaves untouched.
 *
 * @param name interface name (ens8f0np0, bond0, ...)
 * @param type interface type; null when the document relies on the existing interface's type
 * @param state up, down, absent or ignore; null means up
 * @param mtu MTU in bytes
 * @param macAddress MAC address, upper-case colon-separated
 * @param ipv4 IPv4 block
 * @param ipv6 IPv6 block
 * @param bond {@code link-aggregation} block of a bond
 * @param vlan {@code vlan} block of a VLAN
 * @param bridge {@code bridge} block of a linux-bridge
 * @param lldp {@code lldp.enabled}: receive LLDP frames
 * @param dcb {@code ieee-802-1qaz} block: PFC and ETS
 * @param vethPeer peer of a veth (read from the host; nmstream does not create veths)
 * @param controller bond or bridge this interface is a port of (read from the host; documents set it from the
 *     controller's port list)
 */
public record InterfaceSpec(String name, InterfaceType type, InterfaceState state, Integer mtu, String macAddress, IpConfig ipv4,
                            IpConfig ipv6, BondConfig bond, VlanConfig vlan, BridgeConfig bridge, Boolean lldp, DcbConfig dcb,
                            String vethPeer, String controller) {

    public InterfaceSpec {
        Objects.requireNonNull(name, "name");
    }

    /** An interface with nothing but a name and a state. */
    public static InterfaceSpec named(String name, InterfaceType type, InterfaceState state) {
        return new InterfaceSpec(name, type, state, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The state, up when not given. */
    public InterfaceState effectiveState() {
        return state == null ? InterfaceState.UP : state;
    }

    public InterfaceSpec withType(InterfaceType newType) {
        return new InterfaceSpec(name, newType, state, mtu, macAddress, ipv4, ipv6, bond, vlan, bridge, lldp, dcb, vethPeer, controller);
    }

    public InterfaceSpec withState(InterfaceState newState) {
        return new InterfaceSpec(name, type, newState, mtu, macAddress, ipv4, ipv6, bond, vlan, bridge, lldp, dcb, vethPeer, controller);
    }

    public InterfaceSpec withController(String newController) {
        return new InterfaceSpec(name, type, state, mtu, macAddress, ipv4, ipv6, bond, vlan, bridge, lldp, dcb, vethPeer, newController);
    }

    public InterfaceSpec withIp(IpConfig newIpv4, IpConfig newIpv6) {
        return new InterfaceSpec(name, type, state, mtu, macAddress, newIpv4, newIpv6, bond, vlan, bridge, lldp, dcb, vethPeer, controller);
    }

    /** This interface with every field {@code update} gives replacing this one's (nmstate's merge of one interface). */
    public InterfaceSpec overlay(InterfaceSpec update) {
        return new InterfaceSpec(name, IpConfig.pick(update.type, type), IpConfig.pick(update.state, state),
            IpConfig.pick(update.mtu, mtu), IpConfig.pick(update.macAddress, macAddress),
            ipv4 == null ? update.ipv4 : ipv4.overlay(update.ipv4), ipv6 == null ? update.ipv6 : ipv6.overlay(update.ipv6),
            IpConfig.pick(update.bond, bond), IpConfig.pick(update.vlan, vlan), IpConfig.pick(update.bridge, bridge),
            IpConfig.pick(update.lldp, lldp), IpConfig.pick(update.dcb, dcb), IpConfig.pick(update.vethPeer, vethPeer),
            IpConfig.pick(update.controller, controller));
    }
}
