import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifests, readManifests } from '../../../cli/manifests.js';

describe('cli/manifests', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedgate-manifests-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads multi-document YAML, skipping empty documents, with 1-based document numbers', () => {
    const text = '---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    const out = parseManifests(text, 'x.yaml');
    assert.deepEqual(out.map((m) => [m.object.kind, m.object.metadata.name, m.document]), [['Namespace', 'a', 1], ['ConfigMap', 'b', 3]]);
  });

  it('reads JSON, and expands Lists into their items', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }] };
    assert.deepEqual(parseManifests(JSON.stringify(list, null, '\t'), 'l.json').map((m) => m.object.kind), ['ConfigMap', 'Secret']);
  });

  it('names the file and document of bad YAML and of incomplete objects', () => {
    assert.throws(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n', 'bad.yaml'), /bad\.yaml \(document 2\): invalid YAML/);
    assert.throws(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n', 'f.yaml'), /f\.yaml \(document 1\): kind is not set/);
    assert.throws(() => parseManifests('apiVersion: v1\nkind: ConfigMap\n', 'f.yaml'), /metadata\.name is not set/);
    assert.throws(() => parseManifests('- 1\n- 2\n', 'f.yaml'), /expected an object/);
    assert.throws(() => parseManifests('{"apiVersion":"v1","kind":"List","items":[{"kind":"X"}]}', 'l.json'), /l\.json \(document 1\) item 1: apiVersion is not set/);
  });

  it('reads a directory in name order (its .yaml, .yml and .json files; subdirectories with recursive)', () => {
    const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
    writeFileSync(join(dir, 'b.yaml'), cm('b'));
    writeFileSync(join(dir, 'a.yml'), cm('a'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'd.yaml'), cm('d'));
    assert.deepEqual(readManifests([dir]).map((m) => m.object.metadata.name), ['a', 'b', 'c']);
    assert.deepEqual(readManifests([dir], { recursive: true }).map((m) => m.object.metadata.name), ['a', 'b', 'c', 'd']);
    assert.deepEqual(readManifests(['-'], { stdin: () => cm('s') }).map((m) => [m.source, m.object.metadata.name]), [['stdin', 's']]);
    assert.throws(() => readManifests([join(dir, 'missing.yaml')]), /the path ".*missing\.yaml" does not exist/);
    assert.throws(() => readManifests([]), /no files given/);
  });
});
