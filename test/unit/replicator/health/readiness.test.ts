import assert from 'node:assert/strict';
import { ClusterReadiness, Readiness, ReadinessReasons } from '../../../../replicator/health/index.js';

describe('replicator health: readiness state machine', () => {
  it('becomes Ready after two consecutive heartbeats with the stream up', () => {
    const r = new ClusterReadiness({ heartbeatTimeoutMs: 1500 });
    assert.equal(r.state, Readiness.Unknown);
    assert.equal(r.heartbeat(0), undefined, 'heartbeats without a stream do not count');
    r.streamOpened(0);
    assert.equal(r.heartbeat(500), undefined);
    const t = r.heartbeat(1000);
    assert.deepEqual(t, { from: Readiness.Unknown, to: Readiness.Ready, reason: ReadinessReasons.HeartbeatsReceived, at: 1000 });
    assert.equal(r.lastTransitionTime, 1000);
  });

  it('is NotReady immediately when the stream closes', () => {
    const r = new ClusterReadiness();
    r.streamOpened(0);
    r.heartbeat(500);
    r.heartbeat(1000);
    const t = r.streamClosed(1200);
    assert.equal(t?.to, Readiness.NotReady);
    assert.equal(t?.reason, ReadinessReasons.StreamClosed);
    assert.equal(t?.at, 1200);
    assert.equal(r.heartbeat(1300), undefined, 'no stream, no readiness');
  });

  it('times out 1.5 s after the last heartbeat (well within 2 s)', () => {
    const r = new ClusterReadiness({ heartbeatTimeoutMs: 1500 });
    r.streamOpened(0);
    r.heartbeat(500);
    r.heartbeat(1000);
    assert.equal(r.timeoutAt(), 2500);
    assert.equal(r.checkTimeout(2499), undefined);
    const t = r.checkTimeout(2500);
    assert.equal(t?.to, Readiness.NotReady);
    assert.equal(t?.reason, ReadinessReasons.HeartbeatTimeout);
    assert.equal(r.timeoutAt(), undefined, 'no timer while NotReady');
  });

  it('damps flapping: every further flap within the window needs two more heartbeats', () => {
    const r = new ClusterReadiness({ heartbeatTimeoutMs: 1500, flapWindowMs: 60_000 });
    let now = 0;
    const beatUntilReady = (): number => {
      let beats = 0;
      for (;;) {
        now += 500;
        beats++;
        if (r.heartbeat(now)?.to === Readiness.Ready) return beats;
        assert.ok(beats < 50);
      }
    };
    r.streamOpened(now);
    assert.equal(beatUntilReady(), 2);
    const needed: number[] = [];
    for (let i = 0; i < 6; i++) {
      r.streamClosed((now += 100));
      r.streamOpened((now += 100));
      needed.push(beatUntilReady());
    }
    assert.deepEqual(needed, [2, 4, 6, 8, 10, 10]);
    // Outside the window the damping is forgotten.
    now += 61_000;
    r.streamClosed(now);
    r.streamOpened(now);
    assert.equal(beatUntilReady(), 2);
  });

  it('a gap longer than the timeout restarts the count', () => {
    const r = new ClusterReadiness({ heartbeatTimeoutMs: 1500 });
    r.streamOpened(0);
    r.heartbeat(100);
    assert.equal(r.heartbeat(5000), undefined, 'gap: count restarts at 1');
    assert.equal(r.heartbeat(5500)?.to, Readiness.Ready);
  });

  it('guards transitions: a cluster never goes back to Unknown', () => {
    const r = new ClusterReadiness();
    r.streamOpened(0);
    r.streamClosed(1);
    assert.equal(r.state, Readiness.NotReady);
    assert.equal(r.streamClosed(2), undefined, 'no self transition');
  });
});
