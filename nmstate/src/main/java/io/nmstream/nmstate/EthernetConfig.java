package io.nmstream.nmstate;

import java.util.List;

/**
 * nmstate's {@code ethernet} block of an ethernet interface. Every field is optional (null: not mentioned).
 *
 * @param autoNegotiation {@code auto-negotiation}
 * @param speed {@code speed} in Mb/s
 * @param duplex {@code duplex}: full or half
 * @param sriov {@code sr-iov}: virtual functions of an SR-IOV capable NIC
 */
public record EthernetConfig(Boolean autoNegotiation, Integer speed, String duplex, Sriov sriov) {

    /** This block with each field {@code update} gives replacing this one's (an {@code sr-iov} block as a whole). */
    public EthernetConfig overlay(EthernetConfig update) {
        if (update == null) {
            return this;
        }
        return new EthernetConfig(IpConfig.pick(update.autoNegotiation, autoNegotiation), IpConfig.pick(update.speed, speed),
            IpConfig.pick(update.duplex, duplex), IpConfig.pick(update.sriov, sriov));
    }

    /**
     * {@code ethernet.sr-iov}.
     *
     * @param totalVfs {@code total-vfs}: how many virtual functions the NIC creates (0 removes them)
     * @param vfs {@code vfs}: per-function settings; null when not given
     * @param driversAutoprobe {@code drivers-autoprobe}: whether the kernel binds drivers to new functions
     */
    public record Sriov(Integer totalVfs, List<Vf> vfs, Boolean driversAutoprobe) {
        public Sriov {
            vfs = vfs == null ? null : List.copyOf(vfs);
        }
    }

    /**
     * One entry of {@code sr-iov.vfs}.
     *
     * @param id {@code id}: index of the virtual function
     * @param macAddress {@code mac-address}, upper case
     * @param spoofCheck {@code spoof-check}
     * @param trust {@code trust}
     * @param minTxRate {@code min-tx-rate} in Mb/s
     * @param maxTxRate {@code max-tx-rate} in Mb/s
     * @param vlanId {@code vlan-id}, 0 for none
     * @param qos {@code qos}: 802.1p priority of the VLAN
     */
    public record Vf(int id, String macAddress, Boolean spoofCheck, Boolean trust, Integer minTxRate, Integer maxTxRate,
                     Integer vlanId, Integer qos) {
    }
}
