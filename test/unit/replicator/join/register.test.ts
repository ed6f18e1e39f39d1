import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusError, StatusReason, type Cluster } from '../../../../apimachinery/index.js';
import {
  BOOTSTRAP_TOKEN_ID_ANNOTATION,
  CLIENT_CERTIFICATE_ANNOTATION,
  bootstrapTokenKey,
  clusterKey,
  createToken,
  RegisterHandler,
} from '../../../../replicator/join/index.js';
import { certificateFingerprint, EC_KEY_ALGORITHM, EC_SIGNING_ALGORITHM, GatewayPki, x509 } from '../../../../replicator/pki/index.js';
import { SqliteStore } from '../../../../store/index.js';

async function makeCsr(): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  return (await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: EC_SIGNING_ALGORITHM })).toString('pem');
}

function reason(expected: string, message?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StatusError, String(err));
    assert.equal(err.reason, expected, err.message);
    if (message) assert.match(err.message, message);
    return true;
  };
}

describe('replicator/join RegisterHandler', () => {
  let dir: string;
  let store: SqliteStore;
  let pki: GatewayPki;
  let register: RegisterHandler;
  const now = new Date('2030-01-01T00:00:00Z');
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-register-'));
    pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    store = SqliteStore.open({ path: path.join(dir, `fed-${Math.random()}.db`) });
    register = new RegisterHandler({ store, pki, now: () => now });
  });
  afterEach(async () => store.close());

  it('issues a certificate for the cluster and records a joined Cluster', async () => {
    const t = await createToken(store, { ttlSeconds: 60, now });
    const res = await register.handle({
      token: t.token,
      clusterName: 'eu-west',
      csrPem: await makeCsr(),
      region: 'eu',
      zone: 'eu-west-1a',
      labels: { tier: 'gold' },
      externalAddresses: ['127.0.10.1'],
      apiEndpoint: 'http://127.0.10.1:10443',
    });
    assert.equal(res.clusterName, 'eu-west');
    assert.equal(res.caPem, pki.caPem);
    assert.equal(pki.clusterNameOf(res.certificatePem ?? ''), 'eu-west');
    assert.ok(new X509Certificate(res.certificatePem ?? '').checkIssued(new X509Certificate(pki.caPem)));

    const kv = await store.get(clusterKey('eu-west'));
    assert.ok(kv);
    const cluster = JSON.parse(kv.value) as Cluster;
    assert.equal(cluster.apiVersion, 'cluster.fedgate.io/v1alpha1');
    assert.equal(cluster.kind, 'Cluster');
    assert.deepEqual(cluster.metadata.labels, { tier: 'gold' });
    assert.deepEqual(cluster.spec, { region: 'eu', zone: 'eu-west-1a', endpoints: ['127.0.10.1'], apiEndpoint: 'http://127.0.10.1:10443' });
    assert.equal(cluster.status?.conditions?.[0]?.type, 'Joined');
    assert.equal(cluster.status?.conditions?.[0]?.status, 'True');
    assert.equal(cluster.metadata.annotations?.[CLIENT_CERTIFICATE_ANNOTATION], certificateFingerprint(res.certificatePem ?? ''));
    assert.equal(cluster.metadata.annotations?.[BOOTSTRAP_TOKEN_ID_ANNOTATION], t.id);
    assert.ok(cluster.metadata.uid);
    assert.equal(await store.get(bootstrapTokenKey(t.id)), undefined, 'token consumed');
  });

  it('refuses bad names and labels as Invalid without touching the token', async () => {
    const t = await createToken(store, { ttlSeconds: 60, now });
    const csrPem = await makeCsr();
    await assert.rejects(register.handle({ token: t.token, clusterName: 'EU_West', csrPem }), reason(StatusReason.Invalid, /cluster_name/));
    await assert.rejects(register.handle({ token: t.token, clusterName: 'a'.repeat(49), csrPem }), reason(StatusReason.Invalid, /48 characters/));
    await assert.rejects(register.handle({ token: t.token, clusterName: '', csrPem }), reason(StatusReason.Invalid, /Required/));
    await assert.rejects(register.handle({ token: t.token, clusterName: 'ok', csrPem, labels: { 'bad key!': 'v' } }), reason(StatusReason.Invalid, /labels/));
    await assert.rejects(register.handle({ token: t.token, clusterName: 'ok', csrPem, externalAddresses: ['nope'] }), reason(StatusReason.Invalid, /not an IP/));
    await assert.rejects(register.handle({ token: t.token, clusterName: 'ok', csrPem: 'garbage' }), reason(StatusReason.BadRequest));
    await assert.rejects(register.handle({ token: t.token, clusterName: 'ok', csrPem, apiEndpoint: 'ftp://x' }), reason(StatusReason.Invalid, /api_endpoint/));
    await assert.rejects(
      register.handle({ token: t.token, clusterName: 'ok', csrPem, apiEndpoint: 'https://127.0.0.1:10443', apiCaBundle: 'not a certificate' }),
      reason(StatusReason.Invalid, /api_ca_bundle/),
    );
    assert.ok(await store.get(bootstrapTokenKey(t.id)), 'token still there');
  });

  it("records the member API's CA bundle as base64 PEM in spec.apiCABundle", async () => {
    const t = await createToken(store, { ttlSeconds: 60, now });
    await register.handle({ token: t.token, clusterName: 'eu-west', csrPem: await makeCsr(), apiEndpoint: 'https://127.0.10.1:10443', apiCaBundle: pki.caPem });
    const cluster = JSON.parse((await store.get(clusterKey('eu-west')))!.value) as Cluster;
    assert.equal(cluster.spec?.apiEndpoint, 'https://127.0.10.1:10443');
    assert.equal(Buffer.from(cluster.spec?.apiCABundle ?? '', 'base64').toString('utf8'), pki.caPem);
  });

  it('refuses a second join of the same name without burning the token, but only to token holders', async () => {
    const t1 = await createToken(store, { ttlSeconds: 60, now });
    await register.handle({ token: t1.token, clusterName: 'eu-west', csrPem: await makeCsr() });
    // Without a valid token, the caller learns nothing about existing clusters.
    await assert.rejects(
      register.handle({ token: 'abcdef.0123456789abcdef', clusterName: 'eu-west', csrPem: await makeCsr() }),
      reason(StatusReason.Unauthorized, /^bootstrap token is invalid or has expired$/),
    );
    const t2 = await createToken(store, { ttlSeconds: 60, now });
    await assert.rejects(
      register.handle({ token: t2.token, clusterName: 'eu-west', csrPem: await makeCsr() }),
      reason(StatusReason.AlreadyExists, /^cluster eu-west is already joined; unjoin it first$/),
    );
    assert.ok(await store.get(bootstrapTokenKey(t2.id)));
    await register.handle({ token: t2.token, clusterName: 'us-east', csrPem: await makeCsr() });
  });

  it('refuses a used token', async () => {
    const t = await createToken(store, { ttlSeconds: 60, now });
    await register.handle({ token: t.token, clusterName: 'a', csrPem: await makeCsr() });
    await assert.rejects(register.handle({ token: t.token, clusterName: 'b', csrPem: await makeCsr() }), reason(StatusReason.Unauthorized));
    assert.equal(await store.get(clusterKey('b')), undefined);
  });
});
