package io.nmstream.nmstate;

/**
 * nmstate's {@code mac-vlan} block.
 *
 * @param baseIface {@code base-iface}: the parent interface
 * @param mode {@code mode}: vepa, bridge, private, passthru or source
 * @param promiscuous {@code promiscuous}
 */
public record MacVlanConfig(String baseIface, String mode, Boolean promiscuous) {
}
