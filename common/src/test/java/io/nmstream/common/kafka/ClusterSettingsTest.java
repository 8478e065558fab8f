package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void topicsAreReplicatedOnceByDefaultAsOnTheEmbeddedBroker() {
        ClusterSettings settings = new ClusterSettings(Config.of(Map.of()));

        assertThat(settings.replicationFactor()).isEqualTo((short) 1);
        assertThat(settings.minInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void minInsyncReplicasAboveTheReplicationFactorStopsStartUpNamingBothSettings() {
        Config config = Config.of(Map.of("topics.replication.factor", "1", "topics.min.insync.replicas", "2"));
        assertThatThrownBy(() -> new ClusterSettings(config))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("topics.min.insync.replicas is 2 but topics.replication.factor is 1");
    }
}
