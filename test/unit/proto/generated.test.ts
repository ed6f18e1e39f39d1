/** The generated protocol code is what `npm run proto` makes of fedgate.proto today. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fedgate, federationService } from '../../../proto/index.js';

const root = resolve(import.meta.dirname, '..', '..', '..');

describe('proto', () => {
  it('generated code is fresh (run `npm run proto` after editing fedgate.proto)', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'fedgate-proto-'));
    try {
      const bin = join(root, 'node_modules', '.bin');
      const flags = ['-t', 'static-module', '-w', 'es6', '--no-convert', '--no-delimited', '--no-verify', '--no-service'];
      execFileSync(join(bin, 'pbjs'), [...flags, '-o', join(dir, 'fedgate.js'), join(root, 'proto', 'fedgate.proto')], { cwd: root });
      execFileSync(join(bin, 'pbts'), ['-o', join(dir, 'fedgate.d.ts'), join(dir, 'fedgate.js')], { cwd: root });
      for (const file of ['fedgate.js', 'fedgate.d.ts']) {
        assert.equal(readFileSync(join(dir, file), 'utf8'), readFileSync(join(root, 'proto', 'generated', file), 'utf8'), `${file} is stale`);
      }
      const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.proto as string;
      for (const flag of flags) assert.ok(script.includes(flag), `npm run proto uses ${flag}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips a oneof message through the service codecs', () => {
    const msg = fedgate.v1.GatewayMessage.create({ apply: { seq: 7, object: Buffer.from('{"kind":"ConfigMap"}'), overwrite: true } });
    const bytes = federationService.connect.responseSerialize(msg);
    const back = federationService.connect.responseDeserialize(bytes);
    assert.equal(back.body, 'apply');
    assert.equal(back.apply?.seq, 7);
    assert.equal(Buffer.from(back.apply!.object!).toString(), '{"kind":"ConfigMap"}');
  });
});
