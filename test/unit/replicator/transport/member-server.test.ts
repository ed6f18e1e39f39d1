import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../../controller/index.js';
import { GatewayPki, MIN_MEMBER_CERTIFICATE_LIFETIME_MS } from '../../../../replicator/pki/index.js';
import { MemberServer } from '../../../../replicator/transport/index.js';
import { openStore, type Store } from '../../../../store/index.js';

describe('replicator/transport MemberServer options', () => {
  let dir: string;
  let store: Store;
  let pki: GatewayPki;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-member-server-'));
    pki = await GatewayPki.loadOrCreate(dir, { hosts: [] });
    store = await openStore('sqlite::memory:');
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a member certificate lifetime under the minimum at construction, not at the first join', () => {
    const make = (memberCertificateLifetimeMs: number) =>
      new MemberServer({
        pki,
        store,
        handler: { attach: () => {} },
        joinListen: { host: '127.0.0.1', port: 0 },
        memberListen: { host: '127.0.0.1', port: 0 },
        logger: silentLogger,
        memberCertificateLifetimeMs,
      });
    assert.equal(MIN_MEMBER_CERTIFICATE_LIFETIME_MS, 2_000);
    for (const bad of [0, 1_999, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => make(bad), /memberCertificateLifetimeMs must be at least 2000 ms/, String(bad));
    }
    assert.doesNotThrow(() => make(2_000));
  });
});
