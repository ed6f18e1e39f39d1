import assert from 'node:assert/strict';
import { crashLoopDelayMs, nextCrashLoopStep } from '../../../../member-cluster/kubelet/index.js';

describe('kubelet/crash-loop-backoff', () => {
  it('restarts at once the first time, then 10 s doubling to a 5 min cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 40].map((s) => crashLoopDelayMs(s) / 1000),
      [0, 10, 20, 40, 80, 160, 300, 300, 300],
    );
    assert.deepEqual([0, 1, 2, 3].map((s) => crashLoopDelayMs(s, 100, 350)), [0, 100, 200, 350]);
  });

  it('starts over after a run longer than twice the cap', () => {
    assert.equal(nextCrashLoopStep(4, 1000), 5);
    assert.equal(nextCrashLoopStep(4, 600_000), 1);
  });
});
