package io.nmstream.nmstate.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {

    @Test
    void anAliasStandsForACopyOfWhatItsAnchorMarks() throws Exception {
        JsonNode document = YamlDocuments.read("""
            mtu: &jumbo 9000
            base: &eth
              type: ethernet
              state: up
            interfaces:
            - name: eth1
              mtu: *jumbo
              settings: *eth
            - name: eth2
              settings: *eth
            """).get(0);

        assertThat(document.at("/interfaces/0/mtu").isInt()).isTrue();
        assertThat(document.at("/interfaces/0/mtu").asInt()).isEqualTo(9000);
        assertThat(document.at("/interfaces/0/settings/type").asText()).isEqualTo("ethernet");
        assertThat(document.at("/interfaces/1/settings")).isEqualTo(document.get("base"));
        // copies: changing one leaves the others alone
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.at("/interfaces/0/settings")).put("state", "down");
        assertThat(document.at("/interfaces/1/settings/state").asText()).isEqualTo("up");
    }

    @Test
    void aMergeKeyAddsTheFieldsTheMappingDoesNotSet() throws Exception {
        JsonNode document = YamlDocuments.read("""
            defaults: &defaults
              type: ethernet
              state: up
              mtu: 1500
            eth1:
              <<: *defaults
              mtu: 9000
            """).get(0);

        assertThat(document.get("eth1").toString()).isEqualTo("{\"mtu\":9000,\"type\":\"ethernet\",\"state\":\"up\"}");
    }

    @Test
    void withoutAliasesTheTreeIsWhatJacksonReads() throws Exception {
        String text = "a: 1\nb: 12345678901\nc: 123456789012345678901234567890\nd: 1.5\ne: true\nf: null\ng: \"x\"\nh: [1, two]\n";

        assertThat(YamlDocuments.read(text).get(0)).isEqualTo(new ObjectMapper(new YAMLFactory()).readTree(text));
    }

    @Test
    void readsEveryDocumentOfATextAndAnchorsStayInTheirDocument() throws Exception {
        List<JsonNode> documents = YamlDocuments.read("a: &x 1\nb: *x\n---\n---\nc: 3\n");

        assertThat(documents).hasSize(3);
        assertThat(documents.get(0).get("b").asInt()).isEqualTo(1);
        assertThat(documents.get(1).isNull()).isTrue();
        assertThatThrownBy(() -> YamlDocuments.read("a: &x 1\n---\nb: *x\n"))
            .isInstanceOfSatisfying(YamlDocuments.YamlException.class, e -> {
                assertThat(e.document()).isEqualTo(1);
                assertThat(e.path()).isEqualTo("b");
                assertThat(e.value()).isEqualTo("*x");
                assertThat(e.reason()).startsWith("alias to an anchor &x that is not defined before it").contains("line 3");
            });
    }

    @Test
    void anAliasBombIsRefusedWithThePathOfTheAliasThatCrossesTheLimit() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            char previous = (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [").append(("*" + previous + ", ").repeat(8)).append('*')
                .append(previous).append("]\n");
        }

        assertThatThrownBy(() -> YamlDocuments.read(bomb.toString()))
            .isInstanceOfSatisfying(YamlDocuments.YamlException.class, e -> {
                assertThat(e.path()).matches("[a-i]\\[\\d\\]");
                assertThat(e.reason()).startsWith("the text expands to more than " + YamlDocuments.MAX_NODES + " nodes with its aliases");
            });
    }

    @Test
    void moreAliasesThanTheLimitAreRefused() {
        String text = "a: &a 1\nb: [" + "*a, ".repeat(YamlDocuments.MAX_ALIASES) + "*a]\n";

        assertThatThrownBy(() -> YamlDocuments.read(text))
            .isInstanceOfSatisfying(YamlDocuments.YamlException.class, e -> {
                assertThat(e.path()).isEqualTo("b[" + YamlDocuments.MAX_ALIASES + "]");
                assertThat(e.reason()).startsWith("more than " + YamlDocuments.MAX_ALIASES + " aliases in one text");
            });
    }

    @Test
    void duplicateKeysAndSyntaxErrorsAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> YamlDocuments.read("a: 1\na: 2\n"))
            .isInstanceOfSatisfying(YamlDocuments.YamlException.class, e -> {
                assertThat(e.reason()).contains("Duplicate field 'a'");
                assertThat(e.value()).startsWith("line 2");
            });
        assertThatThrownBy(() -> YamlDocuments.read("kind: [unclosed\n"))
            .isInstanceOfSatisfying(YamlDocuments.YamlException.class, e -> assertThat(e.value()).startsWith("line "));
    }
}
