import assert from 'node:assert/strict';
import type { KubeObject } from '../../../apimachinery/index.js';
import type { StoreEvent } from '../../../store/index.js';
import { toWatchEvent } from '../../../gateway/watch-stream.js';

function kv(name: string, team: string, rev: number) {
  return {
    key: `/registry/core/configmaps/ns/${name}`,
    value: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels: { team } } }),
    createRevision: 1,
    modRevision: rev,
  };
}

const blue = (o: KubeObject): boolean => o.metadata.labels?.['team'] === 'blue';

describe('gateway/watch-stream toWatchEvent', () => {
  it('stamps the revision as resourceVersion', () => {
    const ev: StoreEvent = { type: 'create', kv: kv('a', 'blue', 5), revision: 5 };
    const out = toWatchEvent(ev);
    assert.equal(out?.type, 'ADDED');
    assert.equal(out?.object.metadata.resourceVersion, '5');
  });

  it('maps create, update and delete without a filter', () => {
    assert.equal(toWatchEvent({ type: 'update', kv: kv('a', 'red', 6), prevKv: kv('a', 'blue', 5), revision: 6 })?.type, 'MODIFIED');
    assert.equal(toWatchEvent({ type: 'delete', kv: kv('a', 'red', 7), prevKv: kv('a', 'red', 6), revision: 7 })?.type, 'DELETED');
  });

  it('sends an object that starts matching as ADDED and one that stops matching as DELETED', () => {
    const start = toWatchEvent({ type: 'update', kv: kv('a', 'blue', 6), prevKv: kv('a', 'red', 5), revision: 6 }, blue);
    assert.equal(start?.type, 'ADDED');
    const stop = toWatchEvent({ type: 'update', kv: kv('a', 'red', 7), prevKv: kv('a', 'blue', 6), revision: 7 }, blue);
    assert.equal(stop?.type, 'DELETED');
    assert.equal(stop?.object.metadata.labels?.['team'], 'red', 'the DELETED event carries the new state');
    assert.equal(stop?.object.metadata.resourceVersion, '7');
  });

  it('hides events of objects that never match', () => {
    assert.equal(toWatchEvent({ type: 'create', kv: kv('a', 'red', 5), revision: 5 }, blue), undefined);
    assert.equal(toWatchEvent({ type: 'update', kv: kv('a', 'red', 6), prevKv: kv('a', 'green', 5), revision: 6 }, blue), undefined);
    assert.equal(toWatchEvent({ type: 'delete', kv: kv('a', 'red', 7), revision: 7 }, blue), undefined);
  });

  it('keeps MODIFIED for objects matching before and after', () => {
    assert.equal(toWatchEvent({ type: 'update', kv: kv('a', 'blue', 6), prevKv: kv('a', 'blue', 5), revision: 6 }, blue)?.type, 'MODIFIED');
  });
});
