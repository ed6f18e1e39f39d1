import assert from 'node:assert/strict';
import { createRuntime, SIMULATE_EXIT_AFTER_ANNOTATION, SIMULATE_EXIT_CODE_ANNOTATION, type ContainerRunSpec } from '../../../../member-cluster/runtime/index.js';
import { FakeClock } from '../../../fixtures/fake-clock.js';

function spec(annotations: Record<string, string> = {}): ContainerRunSpec {
  return {
    pod: { namespace: 'ns', name: 'p', uid: 'u1', nodeName: 'n' },
    podDir: '/nonexistent',
    name: 'main',
    argv: [],
    env: {},
    mounts: [],
    restartCount: 0,
    annotations,
  };
}

describe('runtime/simulated-runtime', () => {
  it('runs without a command and never exits unless asked', async () => {
    const clock = new FakeClock();
    const rt = createRuntime('simulated', { clock });
    assert.equal(rt.runsProcesses, false);
    const h = await rt.startContainer(spec());
    let exited = false;
    void h.exited.then(() => (exited = true));
    await clock.advance(3_600_000);
    assert.equal(exited, false);
    assert.equal(clock.pending(), 0, 'no timer for a container that never exits');
    const exit = await h.stop(30_000);
    assert.equal(exit.exitCode, 0);
  });

  it('exits after the annotated seconds with the annotated code', async () => {
    const clock = new FakeClock();
    const rt = createRuntime('simulated', { clock });
    const h = await rt.startContainer(spec({ [SIMULATE_EXIT_AFTER_ANNOTATION]: '5', [SIMULATE_EXIT_CODE_ANNOTATION]: '2' }));
    let code: number | undefined;
    void h.exited.then((e) => (code = e.exitCode));
    await clock.advance(4_999);
    assert.equal(code, undefined);
    await clock.advance(1);
    assert.equal(code, 2);
  });

  it('starts hundreds of containers fast', async () => {
    const rt = createRuntime('simulated', { clock: new FakeClock() });
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await rt.startContainer(spec());
    assert.ok(performance.now() - t0 < 500);
  });

  it('refuses unknown runtime names', () => {
    assert.throws(() => createRuntime('docker' as 'process'), /unknown pod runtime "docker" \(known: process, simulated\)/);
  });
});
