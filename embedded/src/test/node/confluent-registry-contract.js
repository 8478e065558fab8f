'use strict';
// Walks through the registry contract with Confluent's own Node.js client, @confluentinc/schemaregistry, once with the
// registry's credentials (a writer) and once without (a reader); its REST layer (the same HTTP, auth and retries) for
// what the client has no method for: mode and the listings with deleted=true. Prints what each step answered as one
// JSON object on stdout, for ConfluentClientInteropIT to check; a step the registry refuses records
// {"status", "errorCode"} instead of failing the script.

const fs = require('fs');
const { SchemaRegistryClient, RestError } = require('@confluentinc/schemaregistry');
const { RestService } = require('@confluentinc/schemaregistry/dist/rest-service');
const { args, fail } = require('./common');

async function main() {
  const a = args(['registry', 'user-info', 'subject', 'mode-subject', 'schema']);
  const credentials = { credentialsSource: 'USER_INFO', userInfo: a['user-info'] };
  const writer = new SchemaRegistryClient({ baseURLs: [a.registry], basicAuthCredentials: credentials });
  const reader = new SchemaRegistryClient({ baseURLs: [a.registry] });
  const writerRest = new RestService([a.registry], false, undefined, credentials);
  const readerRest = new RestService([a.registry]);
  const get = async (path) => (await readerRest.handleRequest(path, 'GET')).data;

  const avsc = fs.readFileSync(a.schema, 'utf8');
  const v1 = { schemaType: 'AVRO', schema: avsc };
  const v2 = { schemaType: 'AVRO', schema: JSON.stringify(withOptionalField(JSON.parse(avsc), 'rack')) };
  const subject = a.subject;
  const modeSubject = a['mode-subject'];
  const out = {};

  out.anonymousRegister = await outcome(() => reader.register(subject, v1));
  out.registered = await outcome(() => writer.registerFullResponse(subject, v1));
  out.lookup = await outcome(() => reader.getIdFullResponse(subject, v1));
  out.latest = await outcome(() => reader.getLatestSchemaMetadata(subject));
  out.byId = await outcome(() => reader.getBySubjectAndId(subject, out.registered.value.id));
  out.registeredV2 = await outcome(() => writer.register(subject, v2));
  out.anonymousDeleteVersion = await outcome(() => reader.deleteSubjectVersion(subject, 1));
  out.softDeleteV1 = await outcome(() => writer.deleteSubjectVersion(subject, 1));
  out.versions = await outcome(() => reader.getAllVersions(subject));
  out.versionsWithDeleted = await outcome(() => get(`/subjects/${subject}/versions?deleted=true`));
  out.deletedV1 = await outcome(() => reader.getSchemaMetadata(subject, 1, true));
  out.hiddenV1 = await outcome(() => reader.getSchemaMetadata(subject, 1, false));
  out.versionOfDeleted = await outcome(() => reader.getVersion(subject, v1, false, true));
  out.softDeleteSubject = await outcome(() => writer.deleteSubject(subject));
  out.subjects = await outcome(() => reader.getAllSubjects());
  out.subjectsWithDeleted = await outcome(() => get('/subjects?deleted=true'));
  out.permanentDelete = await outcome(() => writer.deleteSubject(subject, true));
  out.subjectsWithDeletedAfterPermanentDelete = await outcome(() => get('/subjects?deleted=true'));

  out.anonymousSetMode = await outcome(async () =>
    (await readerRest.handleRequest(`/mode/${modeSubject}`, 'PUT', { mode: 'READONLY' })).data);
  out.setMode = await outcome(async () =>
    (await writerRest.handleRequest(`/mode/${modeSubject}`, 'PUT', { mode: 'READONLY' })).data);
  out.mode = await outcome(() => get(`/mode/${modeSubject}`));
  out.globalMode = await outcome(() => get('/mode'));
  out.registerReadOnly = await outcome(() => writer.register(modeSubject, v1));
  out.clearMode = await outcome(async () => (await writerRest.handleRequest(`/mode/${modeSubject}`, 'DELETE')).data);
  out.registerAfterMode = await outcome(() => writer.register(modeSubject, v1));
  out.compatibility = await outcome(() => reader.testSubjectCompatibility(modeSubject, v2));

  process.stdout.write(JSON.stringify(out) + '\n');
}

/** {"value": what the call returned}, or {"status", "errorCode", "message"} when the registry refused it. */
async function outcome(call) {
  try {
    return { value: await call() };
  } catch (e) {
    if (e instanceof RestError) {
      return { status: e.status, errorCode: e.errorCode, message: e.message };
    }
    throw e;
  }
}

/** The schema with one more optional string field, null by default: a compatible new version. */
function withOptionalField(schema, name) {
  return { ...schema, fields: [...schema.fields, { name, type: ['null', 'string'], default: null }] };
}

main().catch((e) => fail(`confluent-registry-contract failed: ${e && e.stack ? e.stack : e}`));
