package io.nmstream.nmstate;

import java.util.List;

/**
 * nmstate's {@code vlan} block: the base interface, the VLAN id and, where given, how the VLAN is tagged and bound.
 *
 * @param baseIface the interface the VLAN is stacked on
 * @param id the VLAN id
 * @param protocol {@code protocol}: {@code 802.1q} or {@code 802.1ad} (an S-tag, for QinQ)
 * @param registrationProtocol {@code registration-protocol}: {@code gvrp}, {@code mvrp} or {@code none}
 * @param reorderHeaders {@code reorder-headers}: frames leave looking like ordinary Ethernet frames
 * @param looseBinding {@code loose-binding}: the VLAN's state does not follow its base interface's
 */
public record VlanConfig(String baseIface, Integer id, String protocol, String registrationProtocol, Boolean reorderHeaders,
                         Boolean looseBinding) {

    /** nmstate's VLAN protocols. */
    public static final List<String> PROTOCOLS = List.of("802.1q", "802.1ad");
    /** nmstate's registration protocols. */
    public static final List<String> REGISTRATION_PROTOCOLS = List.of("gvrp", "mvrp", "none");

    /** A VLAN with only its base interface and id given. */
    public VlanConfig(String baseIface, Integer id) {
        this(baseIface, id, null, null, null, null);
    }

    /** This block with each field {@code update} gives replacing this one's. */
    public VlanConfig overlay(VlanConfig update) {
        return update == null ? this : new VlanConfig(IpConfig.pick(update.baseIface, baseIface), IpConfig.pick(update.id, id),
            IpConfig.pick(update.protocol, protocol), IpConfig.pick(update.registrationProtocol, registrationProtocol),
            IpConfig.pick(update.reorderHeaders, reorderHeaders), IpConfig.pick(update.looseBinding, looseBinding));
    }
}
