import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContainerStartError } from '../../../../member-cluster/runtime/index.js';
import { containerMounts, prepareVolumes, type ConfigLookup } from '../../../../member-cluster/kubelet/index.js';
import type { Pod } from '../../../../member-cluster/index.js';

const lookup: ConfigLookup = {
  configMap: (_ns, name) =>
    name === 'cfg'
      ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'app.conf': 'port=8080\n', other: 'o' }, binaryData: { 'logo.bin': Buffer.from('PNG').toString('base64') } }
      : undefined,
  secret: (_ns, name) =>
    name === 'sec' ? { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { token: Buffer.from('t0ken').toString('base64'), ca: Buffer.from('CA').toString('base64') } } : undefined,
};

function pod(volumes: NonNullable<Pod['spec']['volumes']>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', uid: 'u' }, spec: { containers: [], volumes } };
}

describe('kubelet/volumes', () => {
  let dataDir: string;
  let podDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-volumes-'));
    podDir = path.join(dataDir, 'pods', 'shop_p_u');
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes configMap and secret keys as files (secrets decoded), honouring items', () => {
    const vols = prepareVolumes(
      pod([
        { name: 'all', configMap: { name: 'cfg' } },
        { name: 'some', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
        { name: 'creds', secret: { secretName: 'sec', items: [{ key: 'token', path: 'tok' }] } },
        { name: 'scratch', emptyDir: {} },
        { name: 'data', persistentVolumeClaim: { claimName: 'db-0' } },
        { name: 'host', hostPath: { path: '/tmp' } },
      ]),
      { dataDir, podDir },
      lookup,
    );
    const all = vols.get('all')!;
    assert.deepEqual(fs.readdirSync(all.hostPath).sort(), ['app.conf', 'logo.bin', 'other']);
    assert.equal(fs.readFileSync(path.join(all.hostPath, 'app.conf'), 'utf8'), 'port=8080\n');
    assert.equal(fs.readFileSync(path.join(all.hostPath, 'logo.bin'), 'utf8'), 'PNG');
    assert.equal(all.readOnly, true);
    const some = vols.get('some')!.hostPath;
    assert.deepEqual(fs.readdirSync(some), ['conf']);
    assert.equal(fs.readFileSync(path.join(some, 'conf', 'app.conf'), 'utf8'), 'port=8080\n');
    const creds = vols.get('creds')!.hostPath;
    assert.deepEqual(fs.readdirSync(creds), ['tok']);
    assert.equal(fs.readFileSync(path.join(creds, 'tok'), 'utf8'), 't0ken');
    assert.equal(fs.statSync(vols.get('scratch')!.hostPath).isDirectory(), true);
    assert.equal(vols.get('data')!.hostPath, path.join(dataDir, 'pvc', 'shop', 'db-0'));
    assert.equal(fs.statSync(vols.get('data')!.hostPath).isDirectory(), true);
    assert.deepEqual(vols.get('host'), { hostPath: '/tmp', readOnly: false });

    const mounts = containerMounts(
      { name: 'c', volumeMounts: [{ name: 'all', mountPath: '/etc/app' }, { name: 'data', mountPath: '/var/lib/db', subPath: 'pg', readOnly: true }] },
      vols,
    );
    assert.deepEqual(mounts, [
      { volume: 'all', hostPath: all.hostPath, mountPath: '/etc/app', readOnly: true },
      { volume: 'data', hostPath: path.join(dataDir, 'pvc', 'shop', 'db-0', 'pg'), mountPath: '/var/lib/db', readOnly: true },
    ]);
  });

  it('refuses missing sources and keys unless optional, and paths escaping the volume', () => {
    const bad = (v: NonNullable<Pod['spec']['volumes']>[number], msg: RegExp): void =>
      assert.throws(() => prepareVolumes(pod([v]), { dataDir, podDir }, lookup), (e) => e instanceof ContainerStartError && msg.test(e.message));
    bad({ name: 'x', configMap: { name: 'nope' } }, /configmap "nope" not found/);
    bad({ name: 'x', secret: { secretName: 'sec', items: [{ key: 'nope', path: 'n' }] } }, /couldn't find key nope/);
    bad({ name: 'x', configMap: { name: 'cfg', items: [{ key: 'other', path: '../escape' }] } }, /may not contain '\.\.'/);
    const ok = prepareVolumes(pod([{ name: 'x', configMap: { name: 'nope', optional: true } }]), { dataDir, podDir }, lookup);
    assert.deepEqual(fs.readdirSync(ok.get('x')!.hostPath), []);
    assert.throws(() => containerMounts({ name: 'c', volumeMounts: [{ name: 'ghost', mountPath: '/g' }] }, ok), /names no volume/);
  });
});
