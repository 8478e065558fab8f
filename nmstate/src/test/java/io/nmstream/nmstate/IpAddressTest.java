package io.nmstream.nmstate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IP literals are read without DNS and written as RFC 5952 says, so that one address has one spelling. */
class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "0:0:0:0:0:0:0:0, ::",
        "::ffff:192.0.2.1, ::ffff:c000:201",
        "fe80:0:0:0:1:0:0:0, fe80::1:0:0:0",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "10.0.0.1, 10.0.0.1"
    })
    void normalisesAddressesAsRfc5952(String written, String canonical) {
        assertThat(IpAddress.parseLiteral(written)).hasValue(canonical);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.256", "1:2:3:4:5:6:7:8:9", "1::2::3", "eth1", "10.0.0", "12345::1", "localhost"})
    void refusesTextThatIsNotAnAddress(String text) {
        assertThat(IpAddress.parseLiteral(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.0.0.0/8", "2001:DB8::/64, 2001:db8::/64", "0.0.0.0/0, 0.0.0.0/0"})
    void readsNetworksInCidrNotation(String written, String canonical) {
        assertThat(IpAddress.parseCidrLiteral(written)).hasValue(canonical);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/x", "10.0.0.0/"})
    void refusesNetworksWithoutAFittingPrefix(String text) {
        assertThat(IpAddress.parseCidrLiteral(text)).isEmpty();
    }
}
