import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { findExecutable, launcherScript, shellQuote } from '../../../../member-cluster/runtime/index.js';

describe('runtime/process-launch', () => {
  it('quotes arguments so sh passes them through unchanged', () => {
    for (const s of ["it's", 'a b', '$(rm -rf /)', '`x`', '"q"', '\\', '', "'", 'ünï\ncode']) {
      const out = execFileSync('sh', ['-c', `printf %s ${shellQuote(s)}`], { encoding: 'utf8' });
      assert.equal(out, s);
    }
  });

  it('writes a launcher that mounts each volume, read-only when asked, then execs the command', () => {
    const script = launcherScript(
      [
        { volume: 'cfg', hostPath: '/data/pods/x/.volumes/cfg', mountPath: '/etc/app', readOnly: true },
        { volume: 'scratch', hostPath: '/data/pods/x/.volumes/scratch', mountPath: '/tmp/s', readOnly: false },
      ],
      ['node', '-e', "console.log('hi')"],
      '/srv',
    );
    const lines = script.trim().split('\n');
    assert.deepEqual(lines, [
      '#!/bin/sh',
      'set -e',
      "mkdir -p '/etc/app'",
      "mount --bind '/data/pods/x/.volumes/cfg' '/etc/app'",
      "mount -o remount,bind,ro '/etc/app'",
      "mkdir -p '/tmp/s'",
      "mount --bind '/data/pods/x/.volumes/scratch' '/tmp/s'",
      "mkdir -p '/srv'",
      "cd '/srv'",
      `exec 'node' '-e' 'console.log('\\''hi'\\'')'`,
    ]);
  });

  it('finds executables on PATH', () => {
    assert.ok(findExecutable('sh')?.endsWith('/sh'));
    assert.equal(findExecutable('no-such-command-fedgate'), undefined);
  });
});
