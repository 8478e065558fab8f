'use strict';
// Consumes <count> records from the start of a topic with kafkajs, decodes each value with
// @kafkajs/confluent-schema-registry (schema fetched by the id in the record), and prints them as a JSON array of
// {"key", "schemaId", "value"} on stdout.

const { args, clients, fail } = require('./common');

async function main() {
  const a = args(['brokers', 'registry', 'topic', 'count', 'group']);
  const wanted = Number(a.count);
  const { kafka, registry } = clients(a.brokers, a.registry);
  const consumer = kafka.consumer({ groupId: a.group });
  const decoded = [];
  await consumer.connect();
  await consumer.subscribe({ topic: a.topic, fromBeginning: true });
  const done = new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          decoded.push({
            key: message.key.toString('utf8'),
            schemaId: message.value.readInt32BE(1),
            value: await registry.decode(message.value),
          });
          if (decoded.length >= wanted) {
            resolve();
          }
        } catch (e) {
          reject(e);
        }
      },
    }).catch(reject);
  });
  const timeout = new Promise((resolve, reject) => setTimeout(
    () => reject(new Error(`only ${decoded.length} of ${wanted} records arrived within 90s`)), 90000).unref());
  try {
    await Promise.race([done, timeout]);
  } finally {
    await consumer.disconnect();
  }
  process.stdout.write(JSON.stringify(decoded.slice(0, wanted)) + '\n');
}

main().catch((e) => fail(`decode-enactments failed: ${e && e.stack ? e.stack : e}`));
