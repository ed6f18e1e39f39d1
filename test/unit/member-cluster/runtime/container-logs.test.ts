import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isNotFound } from '../../../../apimachinery/index.js';
import { containerLogPath, podDir, readContainerLog } from '../../../../member-cluster/runtime/index.js';

describe('runtime/container-logs', () => {
  let dataDir: string;
  const pod = { namespace: 'ns', name: 'web', uid: 'u-1' };
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-logs-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('reads the current run, the previous one, and a tail', async () => {
    const dir = podDir(dataDir, pod);
    assert.equal(dir, path.join(dataDir, 'pods', 'ns_web_u-1'));
    for (const [n, text] of [[0, 'first\n'], [1, 'a\nb\nc\n'], [10, 'tenth\n']] as const) {
      fs.mkdirSync(path.dirname(containerLogPath(dir, 'main', n)), { recursive: true });
      fs.writeFileSync(containerLogPath(dir, 'main', n), text);
    }
    assert.equal(await readContainerLog(dataDir, pod, 'main'), 'tenth\n');
    assert.equal(await readContainerLog(dataDir, pod, 'main', { previous: true }), 'a\nb\nc\n');
    fs.rmSync(containerLogPath(dir, 'main', 10));
    assert.equal(await readContainerLog(dataDir, pod, 'main', { tailLines: 2 }), 'b\nc\n');
  });

  it('is NotFound for a container without logs', async () => {
    await assert.rejects(readContainerLog(dataDir, pod, 'main'), (err) => isNotFound(err));
  });
});
