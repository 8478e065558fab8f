package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DynamicAddressesTest {

    private static final IpAddress LEASED = new IpAddress("192.0.2.113", 24);
    private static final IpAddress SLAAC = new IpAddress("2001:db8:1::5054:ff:fe00:1", 64);
    private static final IpAddress LINK_LOCAL = new IpAddress("fe80::5054:ff:fe00:1", 64);

    private static final NetworkState HOST = new NetworkState(List.of(InterfaceSpec.builder("eth1").type(InterfaceType.ETHERNET)
        .state(InterfaceState.UP).ipv4(new IpConfig(true, true, null, List.of(LEASED), true, true, true))
        .ipv6(new IpConfig(true, true, true, List.of(SLAAC, LINK_LOCAL), true, true, true)).build()), List.of(), List.of(), null);

    private static InterfaceSpec applied(IpConfig ipv4, IpConfig ipv6) {
        NetworkState desired = new NetworkState(List.of(InterfaceSpec.builder("eth1").ipv4(ipv4).ipv6(ipv6).build()), List.of(),
            List.of(), null);
        return StateMerger.asApplied(desired, HOST).find("eth1").orElseThrow();
    }

    @Test
    void turningDhcpOffWithoutAddressesKeepsTheLeasedOnesAsStatic() {
        InterfaceSpec off = applied(new IpConfig(true, false, null, null, null, null, null),
            new IpConfig(true, false, false, List.of(), null, null, null));

        assertThat(off.ipv4().addresses()).containsExactly(LEASED);
        assertThat(off.ipv6().addresses()).as("the link-local address is the kernel's, not a lease").containsExactly(SLAAC);
        NetworkState after = StateMerger.merge(HOST, new NetworkState(List.of(InterfaceSpec.builder("eth1")
            .ipv4(new IpConfig(true, false, null, List.of(), null, null, null)).build()), List.of(), List.of(), null));
        assertThat(after.find("eth1").orElseThrow().ipv4()).satisfies(ip -> {
            assertThat(ip.isDynamic()).isFalse();
            assertThat(ip.addresses()).containsExactly(LEASED);
        });
    }

    @Test
    void addressesGivenDhcpKeptOnOrTheFamilyTurnedOffAreAsGiven() {
        IpConfig given = IpConfig.staticAddresses(false, List.of(new IpAddress("198.51.100.7", 24)));
        assertThat(applied(given, null).ipv4()).isEqualTo(given);
        IpConfig dhcpUnsaid = new IpConfig(true, null, null, null, null, null, null);
        assertThat(applied(dhcpUnsaid, null).ipv4()).as("DHCP stays on").isEqualTo(dhcpUnsaid);
        assertThat(applied(IpConfig.disabled(), null).ipv4()).isEqualTo(IpConfig.disabled());
        IpConfig autoconfOffDhcpOn = new IpConfig(true, null, false, null, null, null, null);
        assertThat(applied(null, autoconfOffDhcpOn).ipv6()).as("DHCPv6 still gives addresses").isEqualTo(autoconfOffDhcpOn);
    }
}
