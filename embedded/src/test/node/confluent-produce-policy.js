'use strict';
// Publishes one PolicyEvent as a GitOps publisher set up never to register schemas does: Confluent's AvroSerializer
// (@confluentinc/schemaregistry) with autoRegisterSchemas=false and useLatestVersion=true, without registry credentials,
// kafkajs as the producer. Prints {"id": <schema id in the record>} on stdout.

const { SchemaRegistryClient, AvroSerializer, SerdeType } = require('@confluentinc/schemaregistry');
const { args, clients, fail } = require('./common');

async function main() {
  const a = args(['brokers', 'registry', 'topic', 'key', 'event']);
  const registry = new SchemaRegistryClient({ baseURLs: [a.registry] });
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const value = await serializer.serialize(a.topic, JSON.parse(a.event));
  const { kafka } = clients(a.brokers, a.registry);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: a.topic, acks: -1, messages: [{ key: a.key, value }] });
  } finally {
    await producer.disconnect();
  }
  process.stdout.write(JSON.stringify({ id: value.readInt32BE(1) }) + '\n');
}

main().catch((e) => fail(`confluent-produce-policy failed: ${e && e.stack ? e.stack : e}`));
