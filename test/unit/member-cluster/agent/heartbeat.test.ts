import assert from 'node:assert/strict';
import { silentLogger } from '../../../../controller/index.js';
import { HeartbeatSender, heartbeatMessage, type HeartbeatCapacity } from '../../../../member-cluster/agent/index.js';
import type { HeartbeatMessage } from '../../../../proto/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';

const report: HeartbeatCapacity = {
  capacity: { cpu: 4, memory: '8Gi' },
  allocatable: { cpu: '3800m', memory: '7Gi' },
  available: { cpu: '1', memory: '2Gi' },
  nodes: { ready: 2, total: 3 },
  services: [
    { namespace: 'a', name: 's1', readyEndpoints: 0, totalEndpoints: 1 },
    { namespace: 'b', name: 's2', readyEndpoints: 4, totalEndpoints: 4 },
  ],
};

describe('member-cluster/agent heartbeat', () => {
  describe('heartbeatMessage', () => {
    it('turns a capacity report into a Heartbeat, quantities as strings', () => {
      const hb = heartbeatMessage(report, 42);
      assert.deepEqual(hb, {
        sentUnixMs: 42,
        capacity: { cpu: '4', memory: '8Gi' },
        allocatable: { cpu: '3800m', memory: '7Gi' },
        available: { cpu: '1', memory: '2Gi' },
        nodesReady: 2,
        nodesTotal: 3,
        services: [
          { namespace: 'a', name: 's1', readyEndpoints: 0, totalEndpoints: 1 },
          { namespace: 'b', name: 's2', readyEndpoints: 4, totalEndpoints: 4 },
        ],
        nodes: [],
      });
    });

    it('carries per-node free resources when the report has them', () => {
      const hb = heartbeatMessage({ ...report, nodeSummaries: [{ name: 'n1', ready: false, allocatable: { pods: '110' }, free: { pods: '0' } }] }, 1);
      assert.deepEqual(hb.nodes, [{ name: 'n1', ready: false, allocatable: { pods: '110' }, free: { pods: '0' } }]);
    });
  });

  describe('HeartbeatSender', () => {
    it('drops heartbeats the sink refuses and counts them', async () => {
      const clock = new FakeClock(0);
      const got: HeartbeatMessage[] = [];
      let open = true;
      const sender = new HeartbeatSender({ capacity: () => report, clock, logger: silentLogger, intervalMs: 200 });
      sender.start({ sendHeartbeat: (hb) => (open ? (got.push(hb), true) : false) });
      await clock.advance(200);
      open = false;
      await clock.advance(400);
      open = true;
      await clock.advance(200);
      assert.deepEqual(got.map((h) => h.sentUnixMs), [0, 200, 800]);
      assert.deepEqual(sender.stats(), { sent: 3, dropped: 2 });
      sender.stop();
      await clock.advance(1000);
      assert.equal(got.length, 3);
      assert.equal(clock.pending(), 0, 'no timer left behind');
    });

    it('start replaces the sink and restarts the beat', async () => {
      const clock = new FakeClock(0);
      const a: number[] = [];
      const b: number[] = [];
      const sender = new HeartbeatSender({ capacity: () => report, clock, logger: silentLogger, intervalMs: 100 });
      sender.start({ sendHeartbeat: (hb) => (a.push(hb.sentUnixMs!), true) });
      await clock.advance(150);
      sender.start({ sendHeartbeat: (hb) => (b.push(hb.sentUnixMs!), true) });
      await clock.advance(100);
      assert.deepEqual(a, [0, 100]);
      assert.deepEqual(b, [150, 250]);
      assert.equal(clock.pending(), 1);
      sender.stop();
    });
  });
});
