package io.nmstream.nmstate.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
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

    @Test
    void aPipedCaptureIsTheInputOfTheStepsThatFollow() throws CaptureExpression.SyntaxError {
        CaptureExpression expression = CaptureExpression.parse("capture.base-iface-routes | routes.running.next-hop-interface:=\"br1\"");

        assertThat(expression.input()).isEqualTo("base-iface-routes");
        assertThat(expression.steps()).containsExactly(new CaptureExpression.Step(List.of("routes", "running", "next-hop-interface"),
            CaptureExpression.Operator.REPLACE, new CaptureExpression.Literal(TextNode.valueOf("br1"))));
    }

    @Test
    void aValueReadFromAnotherCaptureKeepsItsPath() throws CaptureExpression.SyntaxError {
        CaptureExpression expression = CaptureExpression.parse("interfaces.name==capture.default-gw.routes.running.0.next-hop-interface");

        assertThat(expression.input()).isNull();
        assertThat(expression.steps()).singleElement().satisfies(step -> {
            assertThat(step.operator()).isEqualTo(CaptureExpression.Operator.EQUALS);
            assertThat(step.value()).isEqualTo(new CaptureExpression.CapturePath("default-gw",
                List.of("routes", "running", "0", "next-hop-interface")));
        });
    }

    @Test
    void aCaptureWrittenBeforeTheOperatorIsFilteredAsIfPiped() throws CaptureExpression.SyntaxError {
        CaptureExpression expression = CaptureExpression.parse("capture.ethernets.interfaces.state==\"up\"");

        assertThat(expression.input()).isEqualTo("ethernets");
        assertThat(expression.steps()).containsExactly(new CaptureExpression.Step(List.of("interfaces", "state"),
            CaptureExpression.Operator.EQUALS, new CaptureExpression.Literal(TextNode.valueOf("up"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "interfaces.name==eth0;17",
        "interfaces.name==\"a\" | capture.b;23",
        "capture.a==\"x\";9",
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
