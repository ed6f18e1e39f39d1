/** The `fedgate` command as a user runs it: help, bad flags and an unreachable store. */
import assert from 'node:assert/strict';
import { runFedgate } from '../fixtures/cli-run.js';

const fedgate = runFedgate;

describe('fedgate CLI', function () {
  this.timeout(60_000);

  it('prints help for the gateway command', async () => {
    const run = await fedgate(['gateway', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--store <url>/);
    assert.match(run.stdout, /--listen <host:port>/);
  });

  it('rejects an unknown flag with a message and a non-zero exit', async () => {
    const run = await fedgate(['gateway', '--bogus']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /unknown option '--bogus'/);
  });

  it('rejects a malformed --listen and --store', async () => {
    const listen = await fedgate(['gateway', '--listen', 'nowhere', '--store', 'sqlite::memory:']);
    assert.notEqual(listen.code, 0);
    assert.match(listen.stderr, /--listen: "nowhere" is not HOST:PORT/);
    const store = await fedgate(['gateway', '--store', 'mysql://x']);
    assert.notEqual(store.code, 0);
    assert.match(store.stderr, /expected sqlite:PATH or etcd:\/\/HOST:PORT/);
  });

  it('fails clearly and quickly when etcd is unreachable', async () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const run = await fedgate(['gateway', '--store', 'etcd://127.0.0.1:9', '--listen', '127.0.0.1:0']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /cannot open store etcd:\/\/127\.0\.0\.1:9/);
    assert.ok(run.ms < 20_000, `took ${run.ms} ms`);
  });
});
