import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInvalid, type Cluster } from '../../../../apimachinery/index.js';
import { clusterApiCaBundle, clusterKey, MAX_API_CA_BUNDLE_BYTES, recordMemberApi, validateMemberApi } from '../../../../replicator/join/index.js';
import { GatewayPki } from '../../../../replicator/pki/index.js';
import { SqliteStore } from '../../../../store/index.js';

describe('replicator/join member API records', () => {
  let dir: string;
  let caPem: string;
  let otherCaPem: string;
  let store: SqliteStore;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-member-api-'));
    caPem = (await GatewayPki.loadOrCreate(dir, { hosts: [], dir: path.join(dir, 'a') })).caPem;
    otherCaPem = (await GatewayPki.loadOrCreate(dir, { hosts: [], dir: path.join(dir, 'b') })).caPem;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    store = SqliteStore.open({ path: path.join(dir, `fed-${Math.random()}.db`) });
    const cluster: Cluster = {
      apiVersion: 'cluster.fedgate.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'eu-west', uid: 'u1', generation: 1 },
      spec: { region: 'eu', apiEndpoint: 'http://127.0.10.1:10443' },
    };
    await store.create(clusterKey('eu-west'), JSON.stringify(cluster));
  });
  afterEach(async () => store.close());

  const read = async (): Promise<Cluster> => JSON.parse((await store.get(clusterKey('eu-west')))!.value) as Cluster;

  it('validates endpoints and CA bundles', () => {
    assert.deepEqual(validateMemberApi({ apiEndpoint: 'https://127.0.0.1:10443', apiCaBundle: caPem }), []);
    assert.deepEqual(validateMemberApi({ apiEndpoint: 'https://127.0.0.1:10443', apiCaBundle: `${caPem}${otherCaPem}` }), [], 'a bundle of two');
    assert.deepEqual(validateMemberApi({ apiEndpoint: 'http://127.0.0.1:10443' }), []);
    assert.deepEqual(validateMemberApi({}), []);
    const fields = (r: Parameters<typeof validateMemberApi>[0]): string[] => validateMemberApi(r).map((c) => `${c.field}: ${c.message}`);
    assert.match(fields({ apiEndpoint: 'not a url' })[0]!, /^api_endpoint: "not a url" is not a URL$/);
    assert.match(fields({ apiEndpoint: 'ftp://h:1' })[0]!, /^api_endpoint: must be an http/);
    assert.match(fields({ apiEndpoint: 'https://u:p@h:1' })[0]!, /credentials/);
    assert.match(fields({ apiEndpoint: 'https://h:1/?q=1' })[0]!, /query/);
    assert.match(fields({ apiEndpoint: 'https://h:1', apiCaBundle: 'garbage' })[0]!, /^api_ca_bundle: not a PEM CA bundle: holds no PEM certificate$/);
    assert.match(
      fields({ apiEndpoint: 'https://h:1', apiCaBundle: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })[0]!,
      /certificate 1 does not parse/,
    );
    assert.match(fields({ apiEndpoint: 'http://h:1', apiCaBundle: caPem })[0]!, /with an https:\/\/ endpoint only/);
    assert.match(fields({ apiEndpoint: 'https://h:1', apiCaBundle: caPem.repeat(Math.ceil(MAX_API_CA_BUNDLE_BYTES / caPem.length) + 1) })[0]!, /no more than 65536 bytes/);
  });

  it('records a new endpoint and CA on the Cluster, moving its generation, and nothing when unchanged', async () => {
    assert.equal(await recordMemberApi(store, 'eu-west', { apiEndpoint: 'https://127.0.10.1:10443', apiCaBundle: caPem }), true);
    const after = await read();
    assert.equal(after.spec?.apiEndpoint, 'https://127.0.10.1:10443');
    assert.equal(clusterApiCaBundle(after), caPem);
    assert.equal(after.spec?.region, 'eu', 'the rest of the spec stays');
    assert.equal(after.metadata.generation, 2);
    assert.equal(await recordMemberApi(store, 'eu-west', { apiEndpoint: 'https://127.0.10.1:10443', apiCaBundle: caPem }), false, 'same report, no write');
    assert.equal(await recordMemberApi(store, 'eu-west', { apiEndpoint: '', apiCaBundle: otherCaPem }), false, 'no endpoint: a member of an older version');
    assert.equal(clusterApiCaBundle(await read()), caPem);
  });

  it('takes a rotated CA, and drops the CA when the member now serves plain HTTP', async () => {
    await recordMemberApi(store, 'eu-west', { apiEndpoint: 'https://127.0.10.1:10443', apiCaBundle: caPem });
    assert.equal(await recordMemberApi(store, 'eu-west', { apiEndpoint: 'https://127.0.10.1:10443', apiCaBundle: otherCaPem }), true);
    assert.equal(clusterApiCaBundle(await read()), otherCaPem);
    assert.equal(await recordMemberApi(store, 'eu-west', { apiEndpoint: 'http://127.0.10.1:10443' }), true);
    const plain = await read();
    assert.equal(plain.spec?.apiEndpoint, 'http://127.0.10.1:10443');
    assert.equal(plain.spec?.apiCABundle, undefined);
  });

  it('refuses a malformed report as Invalid and leaves the Cluster, and writes nothing for a cluster that is gone', async () => {
    const before = await store.get(clusterKey('eu-west'));
    await assert.rejects(recordMemberApi(store, 'eu-west', { apiEndpoint: 'https://h:1', apiCaBundle: 'garbage' }), isInvalid);
    assert.equal((await store.get(clusterKey('eu-west')))!.modRevision, before!.modRevision);
    assert.equal(await recordMemberApi(store, 'gone', { apiEndpoint: 'https://h:1' }), false);
  });
});
