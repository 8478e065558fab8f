package io.nmstream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.kafka.ClusterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static final Setting<Integer> THREADS = Setting.integer("streams.threads", 1, 1, 64, "Stream threads.");
    private static final Setting<String> APP_ID = Setting.string("application.id", null, "Kafka Streams application id.");

    @Test
    void settingsAreParsedAndFallBackToTheirDefaults() {
        Config config = Config.of(Map.of("streams.threads", "4", "topics.enactments.retention", "30d"));
        assertThat(config.get(THREADS)).isEqualTo(4);
        assertThat(config.get(ClusterSettings.ENACTMENT_RETENTION)).isEqualTo(Duration.ofDays(30));
        assertThat(config.get(ClusterSettings.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    }

    @Test
    void aTextSetToEmptyIsEmptyWhileOtherBlankValuesFallBackToTheirDefaults() {
        Setting<String> dir = Setting.string("agent.state.dir", "/var/lib/nmstream", "where the agent remembers; empty for nowhere");
        Config config = Config.of(Map.of("agent.state.dir", "", "streams.threads", " "));

        assertThat(config.get(dir)).isEmpty();
        assertThat(config.get(THREADS)).isEqualTo(THREADS.defaultValue());
        assertThat(Config.of(Map.of()).get(dir)).isEqualTo("/var/lib/nmstream");
    }

    @Test
    void aBadValueNamesTheSettingItsVariableAndTheValue() {
        Config config = Config.of(Map.of("streams.threads", "many"));
        assertThatThrownBy(() -> config.validate(List.of(THREADS)))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Setting 'streams.threads' (environment variable NMSTREAM_STREAMS_THREADS) has value 'many': not a whole number");
        assertThatThrownBy(() -> Config.of(Map.of("streams.threads", "0")).get(THREADS))
            .hasMessageContaining("has value '0': must be between 1 and 64");
        assertThatThrownBy(() -> new ClusterSettings(Config.of(Map.of("topics.enactments.retention", "forever"))))
            .hasMessageContaining("'topics.enactments.retention'").hasMessageContaining("'forever'");
    }

    @Test
    void theRegistryUrlIsAnHttpOrHttpsUrlWithAHost() {
        assertThat(Config.of(Map.of("registry.url", "https://registry.example.com:8081/ccompat")).get(ClusterSettings.REGISTRY_URL))
            .isEqualTo("https://registry.example.com:8081/ccompat");
        for (String bad : List.of("registry:8081", "localhost", "ftp://registry", "http://", "http://a b")) {
            assertThatThrownBy(() -> Config.of(Map.of("registry.url", bad)).get(ClusterSettings.REGISTRY_URL)).as(bad)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Setting 'registry.url' (environment variable NMSTREAM_REGISTRY_URL) has value '" + bad + "'");
        }
    }

    @Test
    void serviceArgumentsAreSetPairsAndAnythingElseIsNamed() {
        assertThat(Config.fromArgs(new String[] {"--set", "streams.threads=3"}).get(THREADS)).isEqualTo(3);
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--threads", "3"}))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Unexpected argument '--threads': settings are given as --set name=value");
    }

    @Test
    void serviceArgumentsMayJoinSetAndPairWithAnEqualsSignButNeedAName() {
        assertThat(Config.fromArgs(new String[] {"--set=streams.threads=4"}).get(THREADS)).isEqualTo(4);
        assertThatThrownBy(() -> Config.fromArgs(new String[] {"--set", "=4"}))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Argument '--set =4' is not a name=value pair");
    }

    @Test
    void aMissingRequiredSettingIsNamedWithItsDocumentation() {
        assertThatThrownBy(() -> Config.of(Map.of()).get(APP_ID))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Setting 'application.id' (environment variable NMSTREAM_APPLICATION_ID) is required: "
                + "Kafka Streams application id.");
    }

    @Test
    void clusterSettingsBuildClientPropertiesWithSecurityAndPassThroughSettings() {
        ClusterSettings settings = new ClusterSettings(Config.of(Map.of(
            "kafka.bootstrap.servers", "k1:9093,k2:9093",
            "kafka.security.protocol", "SASL_SSL",
            "kafka.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.client.client.rack", "rack-a")));
        assertThat(settings.clientProperties())
            .containsEntry("bootstrap.servers", "k1:9093,k2:9093")
            .containsEntry("security.protocol", "SASL_SSL")
            .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
            .containsEntry("client.rack", "rack-a")
            .doesNotContainKey("sasl.jaas.config");
    }
}
