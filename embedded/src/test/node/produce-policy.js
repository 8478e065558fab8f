'use strict';
// Registers the PolicyEvent schema (read from its .avsc) under <topic>-value with @kafkajs/confluent-schema-registry,
// encodes one PolicyEvent given as JSON, and produces it with kafkajs. Prints {"id": <schema id>} on stdout.

const fs = require('fs');
const { SchemaType } = require('@kafkajs/confluent-schema-registry');
const { args, clients, fail } = require('./common');

async function main() {
  const a = args(['brokers', 'registry', 'topic', 'schema', 'key', 'event']);
  const { kafka, registry } = clients(a.brokers, a.registry);
  const schema = fs.readFileSync(a.schema, 'utf8');
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${a.topic}-value` });
  const value = await registry.encode(id, JSON.parse(a.event));
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: a.topic, acks: -1, messages: [{ key: a.key, value }] });
  } finally {
    await producer.disconnect();
  }
  process.stdout.write(JSON.stringify({ id }) + '\n');
}

main().catch((e) => fail(`produce-policy failed: ${e && e.stack ? e.stack : e}`));
