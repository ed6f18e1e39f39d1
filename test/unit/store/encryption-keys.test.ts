import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StatusReason, isBadRequest } from '../../../apimachinery/index.js';
import {
  KEY_FILE_MODE,
  KEY_ID_PATTERN,
  formatEncryptionKeys,
  generateEncryptionKey,
  loadEncryptionKeys,
  loadOrCreateEncryptionKeys,
  parseEncryptionKeys,
  writeEncryptionKeys,
} from '../../../store/index.js';

const b64 = (n: number, fill = 7): string => Buffer.alloc(n, fill).toString('base64');

describe('encryption-keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a key file with one fresh key, mode 0600, and loads the same key afterwards', () => {
    const file = path.join(dir, 'sub', 'dir', 'encryption-keys.yaml');
    const created = loadOrCreateEncryptionKeys(file);
    assert.equal(created.created, true);
    assert.equal(created.path, file);
    assert.equal(created.keys.length, 1);
    assert.match(created.keys[0]!.id, /^key-\d{8}-[0-9a-f]{8}$/);
    assert.equal(created.keys[0]!.secret.length, 32);
    assert.equal(fs.statSync(file).mode & 0o777, KEY_FILE_MODE);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['encryption-keys.yaml'], 'no temporary file left behind');

    const again = loadOrCreateEncryptionKeys(file);
    assert.equal(again.created, false);
    assert.deepEqual(again.warnings, []);
    assert.equal(again.keys[0]!.id, created.keys[0]!.id);
    assert.ok(again.keys[0]!.secret.equals(created.keys[0]!.secret));
    assert.notEqual(generateEncryptionKey().secret.toString('hex'), created.keys[0]!.secret.toString('hex'));
  });

  it('writes an ordered key list atomically and reads it back in order', () => {
    const file = path.join(dir, 'keys.yaml');
    const old = loadOrCreateEncryptionKeys(file).keys;
    const fresh = generateEncryptionKey('key-new');
    writeEncryptionKeys(file, [fresh, ...old]);
    const loaded = loadEncryptionKeys(file);
    assert.deepEqual(loaded.keys.map((k) => k.id), ['key-new', old[0]!.id]);
    assert.ok(loaded.keys[0]!.secret.equals(fresh.secret));
    assert.equal(fs.statSync(file).mode & 0o777, KEY_FILE_MODE);
    assert.match(fs.readFileSync(file, 'utf8'), /^# fedgate encryption keys/);
    assert.equal(fs.readdirSync(dir).length, 1);
  });

  it('accepts JSON and YAML written by hand', () => {
    const json = parseEncryptionKeys(JSON.stringify({ keys: [{ id: 'k1', secret: b64(32) }] }), 'keys.json');
    assert.deepEqual(json.map((k) => k.id), ['k1']);
    const yaml = parseEncryptionKeys(`# comment\nkeys:\n  - id: k2\n    secret: ${b64(32, 1)}\n  - id: k1\n    secret: "${b64(32)}"\n`, 'keys.yaml');
    assert.deepEqual(yaml.map((k) => k.id), ['k2', 'k1']);
    assert.ok(yaml[1]!.secret.equals(Buffer.alloc(32, 7)));
    const roundTrip = parseEncryptionKeys(formatEncryptionKeys(yaml), 'formatted');
    assert.deepEqual(roundTrip, yaml);
  });

  it('explains every malformed key file with BadRequest naming the file', () => {
    const cases: [string, RegExp][] = [
      ['keys: [', /not YAML or JSON/],
      ['- just a list', /expected a mapping with "keys"/],
      ['keys: []', /"keys" must be a non-empty list/],
      ['kyes: []', /unknown field "kyes"/],
      ['keys: [plain]', /keys\[0\] must be a mapping/],
      [`keys: [{ id: a, secret: ${b64(32)}, note: x }]`, /keys\[0\] has unknown field "note"/],
      [`keys: [{ secret: ${b64(32)} }]`, /keys\[0\]\.id must be a string/],
      ['keys: [{ id: a, secret: "not base64!" }]', /keys\[0\]\.secret \(key "a"\) must be base64 of 32 bytes/],
      [`keys: [{ id: a, secret: ${b64(16)} }]`, /keys\[0\]\.secret \(key "a"\) is 16 bytes; it must be 32/],
      [`keys: [{ id: "a:b", secret: ${b64(32)} }]`, /keys\[0\]\.id "a:b" must be/],
      [`keys: [{ id: a, secret: ${b64(32)} }, { id: a, secret: ${b64(32, 2)} }]`, /key id "a" appears twice/],
      [`keys: [{ id: a, secret: ${b64(32)} }]\nkeys: []`, /not YAML or JSON/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseEncryptionKeys(text, '/etc/fedgate/keys.yaml'),
        (e) => isBadRequest(e) && /^invalid encryption key file \/etc\/fedgate\/keys\.yaml: /.test((e as Error).message) && message.test((e as Error).message),
        text,
      );
    }
    assert.ok(KEY_ID_PATTERN.test('key-20250101-abcdef01'));
  });

  it('says which file cannot be read, and warns about a file others can read', () => {
    const missing = path.join(dir, 'missing.yaml');
    assert.throws(
      () => loadEncryptionKeys(missing),
      (e: { reason?: string; message: string }) => e.reason === StatusReason.InternalError && e.message === `cannot read encryption key file ${missing}: no such file`,
    );
    const file = path.join(dir, 'open.yaml');
    fs.writeFileSync(file, `keys: [{ id: a, secret: ${b64(32)} }]`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const loaded = loadEncryptionKeys(file);
    assert.deepEqual(loaded.warnings, [`encryption key file ${file} is accessible to group or others (mode 0644); chmod 600 it`]);
    assert.throws(() => loadOrCreateEncryptionKeys(dir), /cannot read encryption key file .*: EISDIR/);
  });
});
