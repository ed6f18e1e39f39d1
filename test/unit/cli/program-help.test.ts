import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../cli/index.js';

/** Every command that talks to a gateway, by its path under `fedgate`. */
const GATEWAY_COMMANDS = ['apply', 'get', 'describe', 'delete', 'clusters', 'logs', 'kubeconfig', 'version', 'token create', 'unjoin', 'explain', 'dns explain'];

function find(program: Command, path: string): Command {
  let cmd = program;
  for (const name of path.split(' ')) {
    const next = cmd.commands.find((c) => c.name() === name);
    assert.ok(next, `fedgate ${path} exists`);
    cmd = next;
  }
  return cmd;
}

describe('cli/program: help and target flags', () => {
  const program = buildProgram();

  it('gives every gateway command --gateway, --kubeconfig and --context, and help text', () => {
    for (const path of GATEWAY_COMMANDS) {
      const cmd = find(program, path);
      const help = cmd.helpInformation();
      for (const flag of ['--gateway <url>', '--kubeconfig <file>', '--context <name>', '-h, --help']) assert.ok(help.includes(flag), `fedgate ${path} --help shows ${flag}`);
      assert.ok(cmd.description().length > 10, `fedgate ${path} has a description`);
    }
  });

  it('keeps kubectl flag names on the object commands', () => {
    const flags = (path: string): string[] => find(program, path).options.map((o) => o.flags);
    assert.ok(flags('apply').includes('-f, --filename <path>'));
    assert.ok(flags('apply').includes('--dry-run <mode>'));
    for (const f of ['-n, --namespace <ns>', '-A, --all-namespaces', '-l, --selector <selector>', '--field-selector <selector>', '-o, --output <format>', '-w, --watch']) assert.ok(flags('get').includes(f), f);
    for (const f of ['--cascade <mode>', '--wait [bool]', '--all', '-f, --filename <path>']) assert.ok(flags('delete').includes(f), f);
    for (const f of ['--cluster <name>', '-c, --container <name>', '--tail <n>', '-f, --follow']) assert.ok(flags('logs').includes(f), f);
  });
});
