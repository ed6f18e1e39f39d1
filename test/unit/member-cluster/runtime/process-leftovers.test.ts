import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLeftovers, parseProcStat, readPodState, readProcStat } from '../../../../member-cluster/runtime/index.js';
import { killRecordedLeftovers, recordContainerProcess, forgetContainerProcess } from '../../../../member-cluster/runtime/process-leftovers.js';

describe('runtime/process-leftovers', () => {
  const pids: number[] = [];
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-leftovers-'));
  });
  afterEach(() => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    const text = '4242 (my (odd) cmd) S 1 4240 4240 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 0';
    assert.deepEqual(parseProcStat(text), { pid: 4242, pgrp: 4240, startTime: 987654, state: 'S' });
    const self = readProcStat(process.pid)!;
    assert.equal(self.pid, process.pid);
    assert.ok(self.startTime > 0);
  });

  it('matches the recorded process only with its start time (pid reuse), and its group members started later', () => {
    const procs = [
      { pid: 100, pgrp: 100, startTime: 500, state: 'S' },
      { pid: 101, pgrp: 100, startTime: 510, state: 'S' },
      { pid: 102, pgrp: 100, startTime: 400, state: 'S' },
      { pid: 103, pgrp: 100, startTime: 520, state: 'Z' },
      { pid: 200, pgrp: 200, startTime: 900, state: 'S' },
    ];
    assert.deepEqual(findLeftovers([{ pid: 100, startTime: 500 }], procs).map((p) => p.pid), [100, 101]);
    assert.deepEqual(findLeftovers([{ pid: 200, startTime: 100 }], procs).map((p) => p.pid), [200]);
    assert.deepEqual(findLeftovers([{ pid: 200, startTime: 950 }], procs).map((p) => p.pid), [], 'a recycled pid is left alone');
  });

  it('kills recorded survivors and their process group, then clears the record', async () => {
    const child = spawn('sh', ['-c', 'sleep 300 & sleep 300'], { detached: true, stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    pids.push(child.pid!);
    const stat = readProcStat(child.pid!)!;
    recordContainerProcess(dir, { nodeName: 'n', podUid: 'u' }, 'main', { pid: child.pid!, startTime: stat.startTime });
    assert.equal(readPodState(dir)?.containers['main']?.pid, child.pid);
    // Wait until the shell forked its background sleep, so the group has two members.
    for (let i = 0; i < 200 && findLeftovers([{ pid: child.pid!, startTime: stat.startTime }]).length < 2; i++) await new Promise((r) => setImmediate(r));
    const killed = await killRecordedLeftovers(dir);
    assert.ok(killed >= 2, `killed ${killed}`);
    assert.deepEqual(findLeftovers([{ pid: child.pid!, startTime: stat.startTime }]), []);
    assert.equal(readPodState(dir), undefined);
  });

  it('forgets a container only while the record is still its own run', () => {
    recordContainerProcess(dir, { nodeName: 'n', podUid: 'u' }, 'main', { pid: 2, startTime: 1 });
    forgetContainerProcess(dir, 'main', 1);
    assert.equal(readPodState(dir)?.containers['main']?.pid, 2);
    forgetContainerProcess(dir, 'main', 2);
    assert.equal(readPodState(dir)?.containers['main'], undefined);
  });
});
