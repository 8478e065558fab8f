package io.nmstream.nmstate;

/** nmstate's {@code vlan} block: the base interface and the 802.1Q id. */
public record VlanConfig(String baseIface, Integer id) {
}
