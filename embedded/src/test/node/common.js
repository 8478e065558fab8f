'use strict';
// Shared plumbing of the interop scripts: arguments, quiet kafkajs logging, failing loudly.

const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

/** --name value pairs from the command line; every listed name is required. */
function args(required) {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      fail(`arguments must be --name value pairs, got: ${argv.join(' ')}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of required) {
    if (out[name] === undefined) {
      fail(`missing argument --${name}`);
    }
  }
  return out;
}

/** kafkajs logs to stdout by default; stdout carries this script's JSON answer, so logs go to stderr. */
function clients(brokers, registryUrl) {
  const kafka = new Kafka({
    clientId: 'nmstream-node-interop',
    brokers: brokers.split(','),
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }) => {
      process.stderr.write(`[kafkajs ${namespace} ${level}] ${log.message} ${JSON.stringify(log)}\n`);
    },
  });
  const registry = new SchemaRegistry({ host: registryUrl });
  return { kafka, registry };
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

module.exports = { args, clients, fail };
