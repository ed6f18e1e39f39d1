/**
 * The README's walk-through, run verbatim: the commands between the `walkthrough:start` and
 * `walkthrough:end` markers, in a copy of the project (its own ./data, the default ports).
 * The first block's command (`npm start`) runs in the background as a terminal would run
 * it; every line of the later blocks runs in bash, in order, with the `export`s before it.
 * A line that fails or prints nothing is re-run for a while, as a person would re-run a
 * `dig` until the DNS answers; it must succeed in the end.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isAlive } from '../fixtures/processes.js';
import { sleep, waitFor } from '../fixtures/wait.js';

const root = resolve(import.meta.dirname, '..', '..');
const RETRY_FOR_MS = 60_000;

/** The shell blocks of the walk-through section of a README. */
export function walkthroughBlocks(readme: string): string[][] {
  const section = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme)?.[1];
  if (!section) return [];
  const blocks: string[][] = [];
  for (const m of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = (m[1] ?? '')
      .split('\n')
      .map((l) => l.replace(/\s+#\s.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    blocks.push(lines);
  }
  return blocks;
}

/** PIDs of processes whose working directory is `dir` or below it. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function missingTools(): string[] {
  return ['kubectl', 'dig', 'curl'].filter((t) => spawnSync('bash', ['-c', `command -v ${t}`]).status !== 0);
}

function portsInUse(): string[] {
  const out = spawnSync('bash', ['-c', 'ss -Htuln'], { encoding: 'utf8' }).stdout ?? '';
  return [':6443 ', ':5353 ', ':7443 ', ':7444 '].filter((p) => out.includes(`127.0.0.1${p}`) || out.includes(`0.0.0.0${p}`));
}

describe('README walk-through (verbatim)', function () {
  this.timeout(300_000);
  let dir: string;
  let up: ChildProcess | undefined;
  const upOutput: string[] = [];
  const transcript: string[] = [];

  before(function () {
    const missing = missingTools();
    if (missing.length > 0) {
      console.log(`    skipped: the walk-through needs ${missing.join(', ')}, not installed here`);
      this.skip();
    }
    const busy = portsInUse();
    if (busy.length > 0) {
      console.log(`    skipped: the walk-through uses the default ports and ${busy.join(',')} is taken on this machine`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'fedgate-readme-'));
    cpSync(root, dir, { recursive: true, filter: (src) => !/\/(node_modules|\.git|data|coverage)(\/|$)/.test(src.slice(root.length)) });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  });

  after(async () => {
    if (up?.pid && isAlive(up.pid)) {
      process.kill(-up.pid, 'SIGINT');
      await waitFor('npm start to exit', async () => up!.exitCode !== null || up!.signalCode !== null, 30_000).catch(() => process.kill(-up!.pid!, 'SIGKILL'));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log('--- npm start ---\n' + upOutput.join('').slice(-4000));
    console.log('--- transcript ---\n' + transcript.join('\n').slice(-6000));
  });

  it('runs every command of the walk-through', async () => {
    const blocks = walkthroughBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    assert.ok(blocks.length >= 2, 'README has a walk-through section with at least two sh blocks');
    const [start, ...rest] = blocks as [string[], ...string[][]];
    assert.deepEqual(start, ['npm start'], 'the first block starts the federation');

    up = spawn('bash', ['-c', 'npm start'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    up.stdout!.on('data', (d: Buffer) => upOutput.push(d.toString()));
    up.stderr!.on('data', (d: Buffer) => upOutput.push(d.toString()));
    await waitFor('npm start to print the KUBECONFIG export', async () => {
      if (up!.exitCode !== null) throw new Error(`npm start exited with ${up!.exitCode}:\n${upOutput.join('')}`);
      return /export KUBECONFIG=/.test(upOutput.join(''));
    }, 60_000);

    const exports: string[] = [];
    for (const line of rest.flat()) {
      if (/^export\s/.test(line)) {
        exports.push(line);
        continue;
      }
      const script = [...exports, line].join('\n');
      const deadline = Date.now() + RETRY_FOR_MS;
      for (;;) {
        const run = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
        transcript.push(`$ ${line}\n${run.stdout ?? ''}${run.stderr ?? ''}(exit ${run.status})`);
        if (run.status === 0 && (run.stdout ?? '').trim() !== '') break;
        assert.ok(Date.now() < deadline, `README command failed: ${line}\n${run.stdout}${run.stderr}`);
        await sleep(1000);
      }
    }

    // Ctrl-C in the first terminal stops everything: no process of the walk-through (gateway,
    // members, pods: all run in the copy) is left. npm's own exit code after a Ctrl-C differs
    // between npm set-ups, so it is not what this checks.
    process.kill(-up.pid!, 'SIGINT');
    await waitFor('no process left in the walk-through directory', async () => processesIn(dir).length === 0, 30_000);
    assert.ok(existsSync(join(dir, 'data', 'fedgate.kubeconfig')));
  });
});
