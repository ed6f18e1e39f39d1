import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isNotFound, type KubeObject } from '../../../apimachinery/index.js';
import { containerLogPath, podDir, PodLogReader } from '../../../member-cluster/index.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'main' }] } };

/** Collects a stream until it ends, or until `until` holds for what arrived so far. */
function collect(stream: Readable, until?: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
      if (until?.(text)) resolve(text);
    });
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}

describe('PodLogReader', () => {
  let dir: string;
  const logFile = (run: number): string => containerLogPath(podDir(dir, { namespace: 'shop', name: 'web', uid: 'u-1' }), 'main', run);
  const write = (run: number, text: string): void => {
    fs.mkdirSync(path.dirname(logFile(run)), { recursive: true });
    fs.appendFileSync(logFile(run), text);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-logs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the current run, the previous one, and the last lines', async () => {
    write(0, 'first run\n');
    write(1, 'one\ntwo\nthree\n');
    const reader = new PodLogReader(dir);
    const signal = new AbortController().signal;
    assert.equal(await collect(await reader.open(pod, 'main', { previous: false, follow: false, signal })), 'one\ntwo\nthree\n');
    assert.equal(await collect(await reader.open(pod, 'main', { previous: true, follow: false, signal })), 'first run\n');
    assert.equal(await collect(await reader.open(pod, 'main', { previous: false, tailLines: 2, follow: false, signal })), 'two\nthree\n');
  });

  it('is NotFound for a container without logs or without a previous run', async () => {
    const reader = new PodLogReader(dir);
    const signal = new AbortController().signal;
    await assert.rejects(reader.open(pod, 'main', { previous: false, follow: true, signal }), isNotFound);
    write(0, 'x\n');
    await assert.rejects(reader.open(pod, 'main', { previous: true, follow: false, signal }), isNotFound);
  });

  it('follows what the run appends until aborted, then ends', async () => {
    write(0, 'hello\n');
    const abort = new AbortController();
    const stream = await new PodLogReader(dir, 10).open(pod, 'main', { previous: false, follow: true, signal: abort.signal });
    const seen = collect(stream, (t) => t.includes('later\n'));
    write(0, 'later\n');
    assert.equal(await seen, 'hello\nlater\n');
    write(0, 'last words\n');
    const rest = collect(stream);
    abort.abort();
    assert.match(await rest, /last words\n$/, 'what was written before the abort is sent before the end');
  });

  it('ends a followed log when the container starts a new run', async () => {
    write(0, 'run 0\n');
    const stream = await new PodLogReader(dir, 10).open(pod, 'main', { previous: false, follow: true, signal: new AbortController().signal });
    const all = collect(stream);
    write(0, 'exiting\n');
    write(1, 'run 1\n');
    assert.equal(await all, 'run 0\nexiting\n');
  });
});
