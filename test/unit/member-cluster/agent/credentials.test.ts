import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusError, StatusReason } from '../../../../apimachinery/index.js';
import {
  createMemberCsr,
  keyMatchesCertificate,
  loadMemberCredentials,
  memberPkiPaths,
  saveMemberCredentials,
  saveRenewedCredentials,
} from '../../../../member-cluster/agent/transport.js';
import { GatewayPki } from '../../../../replicator/pki/index.js';

describe('member-cluster/agent credentials on disk', () => {
  let dir: string;
  let pki: GatewayPki;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-creds-'));
    pki = await GatewayPki.loadOrCreate(path.join(dir, 'gateway'), { hosts: [] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function pair(): Promise<{ keyPem: string; certPem: string }> {
    const { keyPem, csrPem } = await createMemberCsr('eu-west');
    return { keyPem, certPem: await pki.signMemberCsr(csrPem, 'eu-west') };
  }

  /** A member data directory holding a join's credentials. */
  async function joined(name: string): Promise<{ dataDir: string; first: { keyPem: string; certPem: string } }> {
    const dataDir = path.join(dir, name);
    const first = await pair();
    saveMemberCredentials(dataDir, { clusterName: 'eu-west', ...first, caPem: pki.caPem });
    return { dataDir, first };
  }

  it('a renewal replaces key and certificate as a pair, key mode 0600, and loads with its data directory', async () => {
    const { dataDir, first } = await joined('renewed');
    assert.equal(loadMemberCredentials(dataDir).dataDir, dataDir);
    assert.equal(loadMemberCredentials(dataDir).certPem, first.certPem);
    const next = await pair();
    saveRenewedCredentials(dataDir, next.keyPem, next.certPem);
    const loaded = loadMemberCredentials(dataDir);
    assert.equal(loaded.certPem, next.certPem);
    assert.equal(loaded.keyPem, next.keyPem);
    assert.equal(loaded.clusterName, 'eu-west');
    const paths = memberPkiPaths(dataDir);
    assert.equal(fs.statSync(paths.key).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(paths.dir).sort(), ['ca.crt', 'member.crt', 'member.key']);
  });

  it('refuses to store a certificate that is not for the key', async () => {
    const { dataDir, first } = await joined('mismatch');
    const other = await pair();
    assert.throws(() => saveRenewedCredentials(dataDir, other.keyPem, first.certPem), /does not certify/);
    assert.equal(loadMemberCredentials(dataDir).certPem, first.certPem);
  });

  it('completes a rotation interrupted after both new files were written', async () => {
    const { dataDir } = await joined('crash-before-renames');
    const next = await pair();
    const paths = memberPkiPaths(dataDir);
    fs.writeFileSync(paths.nextKey, next.keyPem, { mode: 0o600 });
    fs.writeFileSync(paths.nextCert, next.certPem);
    const loaded = loadMemberCredentials(dataDir);
    assert.equal(loaded.certPem, next.certPem);
    assert.ok(keyMatchesCertificate(loaded.keyPem, loaded.certPem));
    assert.equal(fs.existsSync(paths.nextKey) || fs.existsSync(paths.nextCert), false);
  });

  it('completes a rotation interrupted between the two renames (new key, old certificate)', async () => {
    const { dataDir } = await joined('crash-between-renames');
    const next = await pair();
    const paths = memberPkiPaths(dataDir);
    fs.writeFileSync(paths.key, next.keyPem, { mode: 0o600 });
    fs.writeFileSync(paths.nextCert, next.certPem);
    const loaded = loadMemberCredentials(dataDir);
    assert.equal(loaded.certPem, next.certPem);
    assert.equal(loaded.keyPem, next.keyPem);
  });

  it('discards a rotation interrupted before the new certificate was written', async () => {
    const { dataDir, first } = await joined('crash-before-cert');
    const next = await pair();
    const paths = memberPkiPaths(dataDir);
    fs.writeFileSync(paths.nextKey, next.keyPem, { mode: 0o600 });
    const loaded = loadMemberCredentials(dataDir);
    assert.equal(loaded.certPem, first.certPem);
    assert.equal(loaded.keyPem, first.keyPem);
    assert.equal(fs.existsSync(paths.nextKey), false);
  });

  it('discards a leftover certificate that fits no key, and refuses a key and certificate that do not belong together', async () => {
    const { dataDir, first } = await joined('stray');
    const paths = memberPkiPaths(dataDir);
    fs.writeFileSync(paths.nextCert, (await pair()).certPem);
    assert.equal(loadMemberCredentials(dataDir).certPem, first.certPem);
    assert.equal(fs.existsSync(paths.nextCert), false);
    fs.writeFileSync(paths.key, (await pair()).keyPem, { mode: 0o600 });
    assert.throws(
      () => loadMemberCredentials(dataDir),
      (err: unknown) => err instanceof StatusError && err.reason === StatusReason.Invalid && /is not the key of/.test(err.message),
    );
  });
});
