package io.nmstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void registryStorageIsOneCompactedPartitionUnderTheNamespaceAndNotBootstrapped() {
        Topics topics = new Topics(new InMemorySchemaRegistryClient(), "fleet-a", 6, (short) 3, Topics.DEFAULT_ENACTMENT_RETENTION);

        assertThat(topics.registrySchemas().name()).isEqualTo("fleet-a._schemas");
        assertThat(topics.registrySchemas().settings()).isEqualTo(TopicSettings.compacted(1, (short) 3));
        assertThat(topics.registrySchemas().settings().configs()).containsEntry("cleanup.policy", "compact");
        Topic<String, String> beforeAnyRegistry = Topics.registrySchemasIn("fleet-a", (short) 3);
        assertThat(beforeAnyRegistry.name()).isEqualTo(topics.registrySchemas().name());
        assertThat(beforeAnyRegistry.settings()).isEqualTo(topics.registrySchemas().settings());
        assertThat(topics.all()).as("only the embedded registry creates its storage").doesNotContain(topics.registrySchemas());
    }

    @Test
    void namespaceWithCharactersKafkaRefusesIsRefusedNamingIt() {
        assertThatThrownBy(() -> Topics.registrySchemasIn("fleet a", (short) 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'fleet a'");
    }

    @Test
    void aTopicAsBytesIsTheSameTopicWhoseRecordsPassUndecoded() {
        Topics topics = Topics.withDefaults(new InMemorySchemaRegistryClient());
        Topic<byte[], byte[]> raw = topics.enactments().asBytes();
        byte[] bytes = {0, 1, 2, (byte) 0xff};

        assertThat(raw.name()).isEqualTo(topics.enactments().name());
        assertThat(raw.settings()).isEqualTo(topics.enactments().settings());
        assertThat(raw.valueSerde().deserializer().deserialize(raw.name(), raw.valueSerde().serializer().serialize(raw.name(), bytes)))
            .isEqualTo(bytes);
    }

    @Test
    void theReconcilersSlotProtocolTopicsAreBootstrappedWithTheFleetsPartitionsAndAShortRetention() {
        Topics topics = new Topics(new InMemorySchemaRegistryClient(), "fleet-a", 6, (short) 3, Topics.DEFAULT_ENACTMENT_RETENTION);

        assertThat(topics.all()).contains(topics.rollouts(), topics.slotRequests(), topics.slotLeases());
        assertThat(topics.slotRequests().name()).isEqualTo("fleet-a.rollout-slot-requests");
        assertThat(topics.slotLeases().name()).isEqualTo("fleet-a.rollout-slot-leases");
        assertThat(topics.slotLeases().settings()).as("node-partitioned like the nodes they answer")
            .isEqualTo(TopicSettings.retained(6, (short) 3, Topics.SLOT_PROTOCOL_RETENTION.toMillis()));
        assertThat(topics.rollouts().settings()).isEqualTo(TopicSettings.compacted(6, (short) 3));
    }
}
