package io.nmstream.nmstate;

import java.util.List;
import java.util.Objects;

/**
 * One interface of an nmstate document. Except for {@code name}, every field is optional: null means "not mentioned",
 * which an apply leaves untouched. The type blocks ({@code bond}, {@code vlan}, ...) are set only on interfaces of their
 * type; the parser refuses a block on another type.
 *
 * @param name interface name (ens8f0np0, bond0, ...)
 * @param type interface type; null when the document relies on the existing interface's type
 * @param state up, down, absent or ignore; null means up
 * @param description {@code description}: free text kept in the profile
 * @param mtu MTU in bytes
 * @param macAddress MAC address, upper-case colon-separated
 * @param copyMacFrom {@code copy-mac-from}: the interface whose MAC address this one takes (a node resolves it into
 *     {@code macAddress})
 * @param permanentMacAddress the MAC address the NIC was made with, read from the host (never part of a document)
 * @param acceptAllMacAddresses {@code accept-all-mac-addresses}: promiscuous mode, frames for every MAC address
 * @param ipv4 IPv4 block
 * @param ipv6 IPv6 block
 * @param waitIp {@code wait-ip}: the IP families NetworkManager waits for before the interface counts as activated
 * @param mptcpAddressFlags {@code mptcp.address-flags}: the MPTCP endpoint flags of the interface's addresses, in
 *     nmstate's order; empty turns MPTCP off for them
 * @param ethernet {@code ethernet} block: link settings and SR-IOV
 * @param lldp {@code lldp.enabled}: receive LLDP frames
 * @param dcb {@code ieee-8021Qaz} block: PFC and ETS
 * @param bond {@code link-aggregation} block of a bond
 * @param vlan {@code vlan} block of a VLAN
 * @param bridge {@code bridge} block of a linux-bridge or ovs-bridge
 * @param vrf {@code vrf} block of a VRF
 * @param macVlan {@code mac-vlan} block of a MAC-VLAN
 * @param vxlan {@code vxlan} block of a VXLAN
 * @param vethPeer {@code veth.peer}: the other end of a veth
 * @param controller bond, bridge or VRF this interface is a port of (read from the host; documents set it from the
 *     controller's port list)
 */
public record InterfaceSpec(String name, InterfaceType type, InterfaceState state, String description, Integer mtu, String macAddress,
                            String copyMacFrom, String permanentMacAddress, Boolean acceptAllMacAddresses, IpConfig ipv4,
                            IpConfig ipv6, WaitIp waitIp, List<MptcpAddressFlag> mptcpAddressFlags, EthernetConfig ethernet,
                            Boolean lldp, Ieee8021QazConfig dcb, BondConfig bond, VlanConfig vlan, BridgeConfig bridge,
                            VrfConfig vrf, MacVlanConfig macVlan, VxlanConfig vxlan, String vethPeer, String controller) {

    public InterfaceSpec {
        Objects.requireNonNull(name, "name");
        mptcpAddressFlags = mptcpAddressFlags == null ? null : List.copyOf(mptcpAddressFlags);
    }

    /** An interface with nothing but a name and a state. */
    public static InterfaceSpec named(String name, InterfaceType type, InterfaceState state) {
        return builder(name).type(type).state(state).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this interface's fields, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.type = type;
        b.state = state;
        b.description = description;
        b.mtu = mtu;
        b.macAddress = macAddress;
        b.copyMacFrom = copyMacFrom;
        b.permanentMacAddress = permanentMacAddress;
        b.acceptAllMacAddresses = acceptAllMacAddresses;
        b.ipv4 = ipv4;
        b.ipv6 = ipv6;
        b.waitIp = waitIp;
        b.mptcpAddressFlags = mptcpAddressFlags;
        b.ethernet = ethernet;
        b.lldp = lldp;
        b.dcb = dcb;
        b.bond = bond;
        b.vlan = vlan;
        b.bridge = bridge;
        b.vrf = vrf;
        b.macVlan = macVlan;
        b.vxlan = vxlan;
        b.vethPeer = vethPeer;
        b.controller = controller;
        return b;
    }

    /** The state, up when not given. */
    public InterfaceState effectiveState() {
        return state == null ? InterfaceState.UP : state;
    }

    /**
     * Whether this interface is to be down with settings that its profile keeps for when it comes up again, as nmstate
     * keeps them: it says more than its name, type and state, and more than {@code current} shows of it (a state read
     * from the host and given back says nothing new), of an interface the host has or that a profile creates (a profile
     * for a NIC the node lacks would wait for hardware that may never come).
     */
    public boolean keepsSettingsWhileDown(NetworkState current) {
        if (effectiveState() != InterfaceState.DOWN || equals(named(name, type, state))) {
            return false;
        }
        InterfaceSpec have = current.find(name).orElse(null);
        if (have == null) {
            return type != null && type.isVirtual();
        }
        return !have.overlay(this).equals(have.withState(state));
    }

    /** The interfaces this one lists as its ports (bond, bridge or VRF); null when it lists none. */
    public List<String> portNames() {
        if (bond != null && bond.ports() != null) {
            return bond.ports();
        }
        if (bridge != null && bridge.ports() != null) {
            return bridge.portNames();
        }
        return vrf != null ? vrf.ports() : null;
    }

    public InterfaceSpec withType(InterfaceType newType) {
        return toBuilder().type(newType).build();
    }

    public InterfaceSpec withState(InterfaceState newState) {
        return toBuilder().state(newState).build();
    }

    public InterfaceSpec withController(String newController) {
        return toBuilder().controller(newController).build();
    }

    public InterfaceSpec withIp(IpConfig newIpv4, IpConfig newIpv6) {
        return toBuilder().ipv4(newIpv4).ipv6(newIpv6).build();
    }

    public InterfaceSpec withMtu(Integer newMtu) {
        return toBuilder().mtu(newMtu).build();
    }

    /** This interface with every field {@code update} gives replacing this one's (nmstate's merge of one interface). */
    public InterfaceSpec overlay(InterfaceSpec update) {
        Builder b = toBuilder();
        b.type = pick(update.type, type);
        b.state = pick(update.state, state);
        b.description = pick(update.description, description);
        b.mtu = pick(update.mtu, mtu);
        b.macAddress = pick(update.macAddress, macAddress);
        b.copyMacFrom = pick(update.copyMacFrom, copyMacFrom);
        b.permanentMacAddress = pick(update.permanentMacAddress, permanentMacAddress);
        b.acceptAllMacAddresses = pick(update.acceptAllMacAddresses, acceptAllMacAddresses);
        b.ipv4 = ipv4 == null ? update.ipv4 : ipv4.overlay(update.ipv4);
        b.ipv6 = ipv6 == null ? update.ipv6 : ipv6.overlay(update.ipv6);
        b.waitIp = pick(update.waitIp, waitIp);
        b.mptcpAddressFlags = pick(update.mptcpAddressFlags, mptcpAddressFlags);
        // blocks merge field by field, as nmstate merges a desired interface into the current one
        b.ethernet = ethernet == null ? update.ethernet : ethernet.overlay(update.ethernet);
        b.lldp = pick(update.lldp, lldp);
        b.dcb = pick(update.dcb, dcb);
        b.bond = bond == null ? update.bond : bond.overlay(update.bond);
        b.vlan = vlan == null ? update.vlan : vlan.overlay(update.vlan);
        b.bridge = bridge == null ? update.bridge : bridge.overlay(update.bridge);
        b.vrf = vrf == null ? update.vrf : vrf.overlay(update.vrf);
        b.macVlan = macVlan == null ? update.macVlan : macVlan.overlay(update.macVlan);
        b.vxlan = vxlan == null ? update.vxlan : vxlan.overlay(update.vxlan);
        b.vethPeer = pick(update.vethPeer, vethPeer);
        b.controller = pick(update.controller, controller);
        return b.build();
    }

    private static <T> T pick(T update, T current) {
        return update != null ? update : current;
    }

    /** Builds an {@link InterfaceSpec}; every field but the name starts out null (not mentioned). */
    public static final class Builder {
        private final String name;
        private InterfaceType type;
        private InterfaceState state;
        private String description;
        private Integer mtu;
        private String macAddress;
        private String copyMacFrom;
        private String permanentMacAddress;
        private Boolean acceptAllMacAddresses;
        private IpConfig ipv4;
        private IpConfig ipv6;
        private WaitIp waitIp;
        private List<MptcpAddressFlag> mptcpAddressFlags;
        private EthernetConfig ethernet;
        private Boolean lldp;
        private Ieee8021QazConfig dcb;
        private BondConfig bond;
        private VlanConfig vlan;
        private BridgeConfig bridge;
        private VrfConfig vrf;
        private MacVlanConfig macVlan;
        private VxlanConfig vxlan;
        private String vethPeer;
        private String controller;

        private Builder(String name) {
            this.name = name;
        }

        public Builder type(InterfaceType value) {
            type = value;
            return this;
        }

        public Builder state(InterfaceState value) {
            state = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder mtu(Integer value) {
            mtu = value;
            return this;
        }

        public Builder macAddress(String value) {
            macAddress = value;
            return this;
        }

        public Builder copyMacFrom(String value) {
            copyMacFrom = value;
            return this;
        }

        public Builder permanentMacAddress(String value) {
            permanentMacAddress = value;
            return this;
        }

        public Builder acceptAllMacAddresses(Boolean value) {
            acceptAllMacAddresses = value;
            return this;
        }

        public Builder ipv4(IpConfig value) {
            ipv4 = value;
            return this;
        }

        public Builder ipv6(IpConfig value) {
            ipv6 = value;
            return this;
        }

        public Builder waitIp(WaitIp value) {
            waitIp = value;
            return this;
        }

        public Builder mptcpAddressFlags(List<MptcpAddressFlag> value) {
            mptcpAddressFlags = value;
            return this;
        }

        public Builder ethernet(EthernetConfig value) {
            ethernet = value;
            return this;
        }

        public Builder lldp(Boolean value) {
            lldp = value;
            return this;
        }

        public Builder dcb(Ieee8021QazConfig value) {
            dcb = value;
            return this;
        }

        public Builder bond(BondConfig value) {
            bond = value;
            return this;
        }

        public Builder vlan(VlanConfig value) {
            vlan = value;
            return this;
        }

        public Builder bridge(BridgeConfig value) {
            bridge = value;
            return this;
        }

        public Builder vrf(VrfConfig value) {
            vrf = value;
            return this;
        }

        public Builder macVlan(MacVlanConfig value) {
            macVlan = value;
            return this;
        }

        public Builder vxlan(VxlanConfig value) {
            vxlan = value;
            return this;
        }

        public Builder vethPeer(String value) {
            vethPeer = value;
            return this;
        }

        public Builder controller(String value) {
            controller = value;
            return this;
        }

        public InterfaceSpec build() {
            return new InterfaceSpec(name, type, state, description, mtu, macAddress, copyMacFrom, permanentMacAddress,
                acceptAllMacAddresses, ipv4, ipv6, waitIp, mptcpAddressFlags, ethernet, lldp, dcb, bond, vlan, bridge, vrf, macVlan,
                vxlan, vethPeer, controller);
        }
    }
}
