package io.nmstream.executor.nm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

/** Which IPv4 address changes NetworkManager 1.42 reapplies in place, and which need the profile activated anew. */
class AddressOrderTest {

    private static NmSettings addresses(String... ips) {
        List<Map<String, Variant<?>>> data = Arrays.stream(ips)
            .map(ip -> Map.<String, Variant<?>>of("address", new Variant<>(ip), "prefix", new Variant<>(new UInt32(24)))).toList();
        return new NmSettings().putString("ipv4", "method", "manual").putRecords("ipv4", "address-data", data);
    }

    @Test
    void anAddressAheadOfAKeptOneNeedsAnActivation() {
        NmSettings before = addresses("192.0.2.41", "192.0.2.42");
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("192.0.2.42", "192.0.2.41"))).isTrue();
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("192.0.2.40", "192.0.2.41"))).isTrue();
    }

    @Test
    void appendingRemovingAndReplacingReapplyInPlace() {
        NmSettings before = addresses("192.0.2.41", "192.0.2.42");
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("192.0.2.41", "192.0.2.42", "192.0.2.43")))
            .isFalse();
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("192.0.2.42"))).isFalse();
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("198.51.100.1"))).as("none kept").isFalse();
        assertThat(NetworkManagerBackend.putsAnIpv4AddressAheadOfAKeptOne(before, addresses("192.0.2.41", "192.0.2.42"))).isFalse();
    }
}
