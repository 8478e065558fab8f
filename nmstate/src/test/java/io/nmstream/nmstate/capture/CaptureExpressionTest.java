package io.nmstream.nmstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** nmpolicy capture expressions: the documented forms parse, malformed ones fail at the offending column. */
class CaptureExpressionTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "interfaces.type==\"ethernet\"",
        "capture.ethernets | interfaces.state==\"up\"",
        "capture.ethernets-up | interfaces.lldp.enabled:=true",
        "routes.running.destination==\"0.0.0.0/0\"",
        "interfaces.name==capture.default-gw.routes.running.0.next-hop-interface",
        "dns-resolver.running",
        "capture.base-iface-routes | routes.running.next-hop-interface:=\"br1\""
    })
    void parsesDocumentedExpressions(String expression) throws CaptureExpression.SyntaxError {
        assertThat(CaptureExpression.parse(expression)).isNotNull();
    }

    @Test
    void reportsTheCapturesAnExpressionReads() throws CaptureExpression.SyntaxError {
        CaptureExpression expression = CaptureExpression.parse("capture.eths | interfaces.name==capture.gw.routes.running.0.name");

        assertThat(expression.references()).containsExactlyInAnyOrder("eths", "gw");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "interfaces.type==;17",
        "interfaces.type==\"eth;17",
        "| interfaces.name;0",
        "interfaces..name;11",
        "interfaces.name==\"a\" \"b\";21",
        "capture | interfaces.name;0",
        "interfaces.name = \"x\";16"
    })
    void locatesSyntaxErrors(String expression, int position) {
        assertThatThrownBy(() -> CaptureExpression.parse(expression))
            .isInstanceOfSatisfying(CaptureExpression.SyntaxError.class, e -> assertThat(e.position()).isEqualTo(position));
    }
}
