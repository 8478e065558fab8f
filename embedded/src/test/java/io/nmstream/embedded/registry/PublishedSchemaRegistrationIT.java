package io.nmstream.embedded.registry;

import static io.nmstream.embedded.registry.RegistryDeletionIT.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.SubjectBootstrapper;
import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.junit.EmbeddedClusterExtension;
import io.nmstream.embedded.registry.RegistryHttp.Answer;
import io.nmstream.schemas.SampleEvents;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.registry.RestSchemaRegistryClient;
import io.nmstream.schemas.registry.SchemaRegistryException;
import io.nmstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One schema, one version, one id: nmstream's serializer and a client that registers the {@code .avsc} from
 * {@code schemas/src/main/avro} as it is (any third-party tool) end up on the same subject version whichever registers
 * first; the subjects of nmstream's topics exist as soon as the topics do; and nmstream writes with the registered
 * version where it may not register.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class PublishedSchemaRegistrationIT {

    private static final Path AVRO_SOURCES = Path.of("..", "schemas", "src", "main", "avro");

    private final EmbeddedCluster cluster;

    PublishedSchemaRegistrationIT(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void everyTopicsSubjectExistsOnceTheTopicsAreCreatedWithThePublishedSchemaAsItsOnlyVersion() throws IOException {
        Topics topics = cluster.createTopics(unique("bootstrap"));
        RegistryHttp http = new RegistryHttp(cluster.registryUrl());

        for (Topic<?, ?> topic : topics.all()) {
            if (!(topic.valueSerde() instanceof AvroSerde<?> serde)) {
                continue;
            }
            String subject = topic.name() + "-value";
            Path avsc = AVRO_SOURCES.resolve(serde.schema().getName() + ".avsc");
            assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).as(subject).isEqualTo("[1]");
            Answer latest = http.get("/subjects/" + subject + "/versions/latest");
            assertThat(new Schema.Parser().parse(latest.body().path("schema").asText())).as(subject)
                .isEqualTo(new Schema.Parser().parse(avsc.toFile()));
            assertThat(registerAvsc(http, subject, avsc)).as("%s registered from the .avsc by another client", subject)
                .isEqualTo(latest.body().path("id").asInt());
            assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).as(subject).isEqualTo("[1]");
        }
        byte[] record = topics.policies().valueSerde().serializer().serialize(topics.policies().name(), SampleEvents.policy());
        assertThat(ByteBuffer.wrap(record, 1, 4).getInt()).as("schema id in a record nmstream writes")
            .isEqualTo(http.get("/subjects/" + topics.policies().name() + "-value/versions/1").body().path("id").asInt());
    }

    @Test
    void nmstreamsSerializerAndAnAvscClientShareOneVersionWhicheverRegistersFirst() throws IOException {
        Path avsc = AVRO_SOURCES.resolve("PolicyEvent.avsc");
        RegistryHttp http = new RegistryHttp(cluster.registryUrl());

        Topics avscFirst = unregisteredTopics(unique("avsc-first"));
        String subject = avscFirst.policies().name() + "-value";
        int id = registerAvsc(http, subject, avsc);
        assertThat(idInRecord(avscFirst)).isEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1]");

        Topics nmstreamFirst = unregisteredTopics(unique("nmstream-first"));
        subject = nmstreamFirst.policies().name() + "-value";
        id = idInRecord(nmstreamFirst);
        assertThat(registerAvsc(http, subject, avsc)).isEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void nmstreamWritesWithTheRegisteredVersionWhereItMayOnlyReadTheRegistry() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(cluster.settings().clientProperties(),
            unique("readers") + "._schemas", EmbeddedSchemaRegistry.Options.onPort(0).withBasicAuth("admin:s3cret"))) {
            String namespace = unique("readers");
            Topics admin = topicsOn(registry, namespace, "admin:s3cret");
            Map<String, Integer> bootstrapped = SubjectBootstrapper.ensure(admin.all());
            Topics anonymous = topicsOn(registry, namespace, "");
            String policies = anonymous.policies().name();

            assertThat(idInRecord(anonymous)).as("written without credentials, with the registered version")
                .isEqualTo(bootstrapped.get(policies + "-value"));
            assertThatThrownBy(() -> anonymous.policies().valueSerde().serializer().serialize("unregistered", SampleEvents.policy()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unauthorized: check the registry credentials");

            assertThat(new RegistryHttp(registry.url(), "admin:s3cret").put("/mode", "{\"mode\": \"READONLY\"}").status())
                .isEqualTo(200);
            Topics frozen = topicsOn(registry, namespace, "admin:s3cret");
            assertThat(idInRecord(frozen)).as("written while the registry is READONLY").isEqualTo(bootstrapped.get(policies + "-value"));
            assertThatThrownBy(() -> frozen.policies().valueSerde().serializer().serialize("unregistered", SampleEvents.policy()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("operation not permitted")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(42205));
        }
    }

    /** nmstream's topics of a namespace with serdes on a fresh client of {@code registry} with these credentials. */
    private Topics topicsOn(EmbeddedSchemaRegistry registry, String namespace, String userInfo) {
        ClusterSettings settings = new ClusterSettings(cluster.config()
            .with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace)
            .with(ClusterSettings.REGISTRY_URL.name(), registry.url())
            .with(ClusterSettings.REGISTRY_BASIC_AUTH.name(), userInfo));
        return settings.topics(settings.registryClient());
    }

    /** nmstream's topics of a namespace with serdes on a fresh registry client, their subjects not registered yet. */
    private Topics unregisteredTopics(String namespace) {
        return new ClusterSettings(cluster.config().with(ClusterSettings.TOPIC_NAMESPACE.name(), namespace))
            .topics(new RestSchemaRegistryClient(cluster.registryUrl()));
    }

    private static int idInRecord(Topics topics) {
        Topic<String, PolicyEvent> policies = topics.policies();
        byte[] record = policies.valueSerde().serializer().serialize(policies.name(), SampleEvents.policy());
        return ByteBuffer.wrap(record, 1, 4).getInt();
    }

    /** Registers the {@code .avsc} file's text exactly as it is, as a tool that knows nothing of Java would. */
    private static int registerAvsc(RegistryHttp http, String subject, Path avsc) throws IOException {
        Answer answer = http.post("/subjects/" + subject + "/versions",
            RegistryHttp.JSON.createObjectNode().put("schema", Files.readString(avsc)).toString());
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        return answer.body().path("id").asInt();
    }
}
