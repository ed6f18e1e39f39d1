/**
 * A create acknowledged with 201 survives SIGKILL of the gateway process, on both backends:
 * the gateway answers only after the store committed the write.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../fixtures/etcd.js';
import { startGatewayProcess, type GatewayProcess } from '../fixtures/gateway-process.js';

const IN_FLIGHT = 40;
const KILL_AFTER_ACKS = 15;

async function createNamespace(url: string, name: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  });
  assert.equal(res.status, 201, await res.text());
}

/**
 * Fires IN_FLIGHT concurrent ConfigMap creates and SIGKILLs the gateway in the same tick as
 * the KILL_AFTER_ACKS-th 201 arrives. Returns name → uid of every acknowledged create.
 */
async function createThenKill(gw: GatewayProcess, ns: string): Promise<Map<string, string>> {
  const acked = new Map<string, string>();
  let killed = false;
  await Promise.allSettled(
    Array.from({ length: IN_FLIGHT }, async (_, i) => {
      const name = `cm-${i}`;
      const res = await fetch(`${gw.url}/api/v1/namespaces/${ns}/configmaps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } }),
      });
      if (res.status !== 201) return;
      const body = (await res.json()) as { metadata: { uid: string } };
      // Every 201 counts, also those that arrive after the kill signal left: they were sent before.
      acked.set(name, body.metadata.uid);
      if (!killed && acked.size === KILL_AFTER_ACKS) {
        killed = true;
        gw.child.kill('SIGKILL');
      }
    }),
  );
  if (!killed) gw.child.kill('SIGKILL');
  await gw.kill();
  return acked;
}

async function assertAllPresent(storeUrl: string, ns: string, acked: Map<string, string>): Promise<void> {
  const gw = await startGatewayProcess(storeUrl);
  try {
    for (const [name, uid] of acked) {
      const res = await fetch(`${gw.url}/api/v1/namespaces/${ns}/configmaps/${name}`);
      assert.equal(res.status, 200, `acknowledged ${name} lost after SIGKILL`);
      const body = (await res.json()) as { metadata: { uid: string } };
      assert.equal(body.metadata.uid, uid);
    }
  } finally {
    await gw.stop();
  }
}

describe('gateway durability (SIGKILL after 201)', function () {
  this.timeout(90_000);

  it('loses nothing on the SQLite backend', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedgate-durability-'));
    try {
      const storeUrl = `sqlite:${join(dir, 'fedgate.db')}`;
      const gw = await startGatewayProcess(storeUrl);
      await createNamespace(gw.url, 'shop');
      const acked = await createThenKill(gw, 'shop');
      assert.ok(acked.size >= KILL_AFTER_ACKS, `only ${acked.size} creates acknowledged`);
      await assertAllPresent(storeUrl, 'shop', acked);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing on the etcd backend', async function () {
    const etcd = await startEtcd();
    if (!etcd) {
      console.log('      skipping: etcd not found on PATH (apt-get install etcd-server etcd-client)');
      this.skip();
    }
    try {
      const storeUrl = `${etcd.url}?prefix=/durability`;
      const gw = await startGatewayProcess(storeUrl);
      await createNamespace(gw.url, 'shop');
      const acked = await createThenKill(gw, 'shop');
      assert.ok(acked.size >= KILL_AFTER_ACKS, `only ${acked.size} creates acknowledged`);
      await assertAllPresent(storeUrl, 'shop', acked);
    } finally {
      await etcd.stop();
    }
  });
});
