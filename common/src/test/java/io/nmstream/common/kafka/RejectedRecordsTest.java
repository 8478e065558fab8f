package io.nmstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.schemas.DeadLetterHeaders;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.ContractViolation.Rule;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class RejectedRecordsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
        new ByteArraySerializer());

    @Test
    void writesTheOriginalBytesWithTheReasonToTheDeadLetterTopicAndCountsByRule() {
        RejectedRecords rejections = new RejectedRecords("status-projector", meters, producer, "nmstream.dead-letters");
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("nmstream.policies", 1, 42, "not-the-key", new byte[] {0, 1, 2});

        rejections.reject(record, new ContractViolation(Rule.KEY, "Policy event keyed 'not-the-key': field name has value 'eth1'"));

        ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
        assertThat(letter.topic()).isEqualTo("nmstream.dead-letters");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("not-the-key");
        assertThat(letter.value()).containsExactly(0, 1, 2);
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("Policy event keyed 'not-the-key': field name has value 'eth1'");
        assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("contract");
        assertThat(header(letter, DeadLetterHeaders.SOURCE)).isEqualTo("nmstream.policies-1@42");
        assertThat(header(letter, DeadLetterHeaders.PROCESSOR)).isEqualTo("status-projector");
        assertThat(meters.get(RejectedRecords.METRIC).tags("topic", "nmstream.policies", "reason", "key").counter().count()).isEqualTo(1);
    }

    @Test
    void aCommandThatMustNotWriteOnlyCountsAnUndecodableRecord() {
        RejectedRecords rejections = RejectedRecords.countedOnly("audit", meters);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("nmstream.enactments", 0, 7, "k", new byte[] {42});

        rejections.reject(record, new AvroRuntimeException("Unknown magic byte"));

        assertThat(rejections.count()).isEqualTo(1);
        assertThat(meters.get(RejectedRecords.METRIC).tags("topic", "nmstream.enactments", "reason", RejectedRecords.UNDECODABLE)
            .counter().count()).isEqualTo(1);
    }

    private static String header(ProducerRecord<byte[], byte[]> letter, String name) {
        return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
