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

  it('prints help for the client commands, with the kubectl flags and examples', async () => {
    const run = await fedgate(['get', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: fedgate get \[options\] <kind> \[names\.\.\.\]/);
    assert.match(run.stdout, /-o, --output <format>/);
    assert.match(run.stdout, /--kubeconfig <file>/);
    assert.match(run.stdout, /Examples:/);
  });

  it('rejects bad values of the client flags with a message, not a stack trace', async () => {
    const wait = await fedgate(['delete', 'deploy', 'web', '--wait=maybe']);
    assert.notEqual(wait.code, 0);
    assert.match(wait.stderr, /--wait \[bool\]' argument 'maybe' is invalid\. expected true or false/);
    const output = await fedgate(['get', 'deploy', '-o', 'table']);
    assert.notEqual(output.code, 0);
    assert.match(output.stderr, /Allowed choices are wide, yaml, json, name/);
    for (const run of [wait, output]) assert.doesNotMatch(run.stderr, /\n\s+at /);
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
