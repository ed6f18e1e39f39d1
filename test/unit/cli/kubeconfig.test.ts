import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_GATEWAY_URL, kubeconfigFor, readKubeconfig, resolveTarget, targetOf, writeKubeconfig } from '../../../cli/kubeconfig.js';

describe('cli/kubeconfig', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-kubeconfig-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a 0600 kubeconfig that reads back to the same target, namespace included', () => {
    const path = join(dir, 'a', 'config');
    const target = { server: 'https://127.0.0.1:6443', caPem: 'CA PEM', token: 't0ken', clientCertPem: 'CERT', clientKeyPem: 'KEY' };
    writeKubeconfig(path, kubeconfigFor(target, 'fed', 'shop'));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(targetOf(readKubeconfig(path), undefined, path), { ...target, namespace: 'shop' });
  });

  it('resolves --gateway, then --kubeconfig (with --context), then $KUBECONFIG, then the default', () => {
    const two = join(dir, 'two');
    writeKubeconfig(two, {
      ...kubeconfigFor({ server: 'http://one:1' }, 'one'),
      clusters: [{ name: 'one', cluster: { server: 'http://one:1' } }, { name: 'two', cluster: { server: 'http://two:2' } }],
      contexts: [{ name: 'one', context: { cluster: 'one', user: 'one-admin' } }, { name: 'two', context: { cluster: 'two', user: 'one-admin', namespace: 'dev' } }],
    });
    const env = { KUBECONFIG: [join(dir, 'missing'), two].join(delimiter) };
    assert.deepEqual(resolveTarget({ gateway: 'http://flag:3', kubeconfig: two }, env), { server: 'http://flag:3' });
    assert.deepEqual(resolveTarget({ kubeconfig: two, context: 'two' }, {}), { server: 'http://two:2', namespace: 'dev' });
    assert.deepEqual(resolveTarget({}, env), { server: 'http://one:1' });
    assert.deepEqual(resolveTarget({ context: 'two' }, env), { server: 'http://two:2', namespace: 'dev' });
    assert.deepEqual(resolveTarget({}, {}), { server: DEFAULT_GATEWAY_URL });
    assert.throws(() => resolveTarget({ context: 'two' }, {}), /--context two: no kubeconfig/);
    assert.throws(() => resolveTarget({ kubeconfig: two, context: 'three' }, {}), /context "three" not found/);
  });

  it('reads certificate files a kubeconfig refers to, relative to the kubeconfig', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA FROM FILE');
    const path = join(dir, 'refs');
    writeFileSync(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://x:1', 'certificate-authority': 'ca.crt' } }],
        users: [{ name: 'u', user: { token: 'tok', 'client-key': join(dir, 'missing.key') } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    assert.throws(() => targetOf(readKubeconfig(path), undefined, path), /cannot read the client key .*missing\.key/);
    writeFileSync(join(dir, 'missing.key'), 'KEY FROM FILE');
    assert.deepEqual(targetOf(readKubeconfig(path), undefined, path), { server: 'https://x:1', caPem: 'CA FROM FILE', token: 'tok', clientKeyPem: 'KEY FROM FILE' });
  });

  it('rejects files that are not kubeconfigs with the path in the message', () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'kind: Config\nclusters: 3\n');
    assert.throws(() => readKubeconfig(bad), /kubeconfig .*bad: clusters must be a list/);
    writeFileSync(bad, 'kind: Pod\n');
    assert.throws(() => readKubeconfig(bad), /is not a kubeconfig/);
    writeFileSync(bad, 'kind: [\n');
    assert.throws(() => readKubeconfig(bad), /is not valid YAML/);
    assert.throws(() => readKubeconfig(join(dir, 'nope')), /cannot read kubeconfig/);
    writeFileSync(bad, stringify({ kind: 'Config', clusters: [{ name: 'c', cluster: {} }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }], 'current-context': 'c' }));
    assert.throws(() => targetOf(readKubeconfig(bad), undefined, bad), /cluster "c" has no server/);
  });
});
