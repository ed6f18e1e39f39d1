import assert from 'node:assert/strict';
import type { Cluster } from '../../../apimachinery/index.js';
import { DEFAULT_FRESHNESS_MS, HealthReasons, serviceHealth, servingClusters, type Judged } from '../../../dns/health.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function cluster(over: { ready?: 'True' | 'False'; heartbeatAt?: number; ready_endpoints?: number; endpoints?: string[] } = {}): Cluster {
  return {
    apiVersion: 'cluster.fedgate.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'eu-1' },
    spec: { region: 'eu', endpoints: over.endpoints ?? ['192.0.2.10'] },
    status: {
      conditions: over.ready === undefined ? [{ type: 'Ready', status: 'True', reason: 'HeartbeatsReceived' }] : [{ type: 'Ready', status: over.ready, reason: 'HeartbeatTimeout' }],
      ...(over.heartbeatAt === undefined ? {} : { lastHeartbeatTime: new Date(over.heartbeatAt).toISOString() }),
      services: [{ namespace: 'shop', name: 'web', readyEndpoints: over.ready_endpoints ?? 2, totalEndpoints: 2 }],
    },
  };
}

const web = { namespace: 'shop', name: 'web' };

describe('dns health rules', () => {
  it('fresh heartbeat, Ready, ready endpoints: healthy', () => {
    const h = serviceHealth(cluster({ heartbeatAt: T0 }), web, T0 + 1_000);
    assert.equal(h.healthy, true);
    assert.equal(h.reason, HealthReasons.Ok);
    assert.equal(h.readyEndpoints, 2);
  });

  it('a heartbeat older than the freshness is stale (fake clock), exactly at the limit still fresh', () => {
    const c = cluster({ heartbeatAt: T0 });
    assert.equal(serviceHealth(c, web, T0 + DEFAULT_FRESHNESS_MS).healthy, true);
    const stale = serviceHealth(c, web, T0 + DEFAULT_FRESHNESS_MS + 1);
    assert.equal(stale.healthy, false);
    assert.equal(stale.reason, HealthReasons.StaleHeartbeat);
    assert.equal(serviceHealth(c, web, T0 + 10_000, 20_000).healthy, true, 'freshness is configurable');
    assert.equal(serviceHealth(cluster(), web, T0).reason, HealthReasons.NoHeartbeat);
  });

  it('NotReady, no ready endpoints, no address', () => {
    assert.equal(serviceHealth(cluster({ heartbeatAt: T0, ready: 'False' }), web, T0).reason, HealthReasons.NotReady);
    assert.equal(serviceHealth(cluster({ heartbeatAt: T0, ready_endpoints: 0 }), web, T0).reason, HealthReasons.NoReadyEndpoints);
    assert.equal(serviceHealth(cluster({ heartbeatAt: T0 }), { namespace: 'shop', name: 'other' }, T0).reason, HealthReasons.NoReadyEndpoints);
    assert.equal(serviceHealth(cluster({ heartbeatAt: T0, endpoints: [] }), web, T0).reason, HealthReasons.NoAddress);
  });

  describe('serving set', () => {
    const j = (cluster: string, healthy: boolean, weight = 1, hasAddress = true): Judged => ({ cluster, healthy, hasAddress, weight });

    it('serves the healthy clusters and remembers them', () => {
      const d = servingClusters([j('a', true, 3), j('b', false), j('c', true, 1)], undefined);
      assert.deepEqual([...d.serving], [['a', 3], ['c', 1]]);
      assert.equal(d.failOpen, false);
      assert.deepEqual([...d.lastHealthy!], [['a', 3], ['c', 1]]);
    });

    it('fails open to the last healthy set when none is healthy (with the weights they had)', () => {
      const first = servingClusters([j('a', true, 3), j('b', false)], undefined);
      const d = servingClusters([j('a', false, 0), j('b', false, 0)], first.lastHealthy);
      assert.equal(d.failOpen, true);
      assert.deepEqual([...d.serving], [['a', 3]]);
      assert.deepEqual([...d.lastHealthy!], [['a', 3]], 'memory is kept while failing open');
    });

    it('fails open to every placed cluster with an address when none was ever healthy', () => {
      const d = servingClusters([j('a', false), j('b', false), j('x', false, 1, false)], undefined);
      assert.equal(d.failOpen, true);
      assert.deepEqual([...d.serving.keys()], ['a', 'b']);
    });

    it('a remembered cluster no longer placed is not served', () => {
      const d = servingClusters([j('b', false)], new Map([['a', 1]]));
      assert.deepEqual([...d.serving.keys()], ['b']);
    });

    it('whenAllUnhealthy: empty answers nothing', () => {
      const d = servingClusters([j('a', false)], new Map([['a', 1]]), 'empty');
      assert.equal(d.serving.size, 0);
      assert.equal(d.failOpen, false);
    });
  });
});
