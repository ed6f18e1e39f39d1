/**
 * Reading manifests as `kubectl apply -f` does: files, directories (their `.yaml`, `.yml`
 * and `.json` files in name order, subdirectories with `recursive`) and `-` for stdin;
 * multi-document YAML, JSON, and `List` kinds expanded into their items. Every error names
 * the file and the document (1-based) it comes from. Nothing is sent anywhere here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../apimachinery/index.js';

/** File name endings read from a directory. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** One object of a manifest and where it came from. */
export interface Manifest {
  object: KubeObject;
  /** File path, or `stdin`. */
  source: string;
  /** 1-based index of the document in its source. */
  document: number;
}

/** Where a manifest came from, for messages: `web.yaml (document 2)`. */
export function sourceOf(m: Pick<Manifest, 'source' | 'document'>): string {
  return `${m.source} (document ${m.document})`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function filesOf(path: string, recursive: boolean): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new Error(`the path "${path}" does not exist`);
  }
  if (!stat.isDirectory()) return [path];
  const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...filesOf(full, true));
    } else if (MANIFEST_EXTENSIONS.includes(extname(e.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

/** The documents of one text: a single JSON value when it parses as JSON, else YAML documents. */
function documentsOf(text: string, source: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Not one JSON value: YAML (a superset of most JSON) reports what is wrong.
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, i) => {
    const err = doc.errors[0];
    if (err) throw new Error(`${source} (document ${i + 1}): invalid YAML: ${err.message.split('\n')[0]!.replace(/:$/, '')}`);
    try {
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw new Error(`${source} (document ${i + 1}): invalid YAML: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  });
}

function checkObject(value: unknown, where: string): KubeObject {
  if (!isObject(value)) throw new Error(`${where}: expected an object with apiVersion, kind and metadata`);
  if (typeof value['apiVersion'] !== 'string' || !value['apiVersion']) throw new Error(`${where}: apiVersion is not set`);
  if (typeof value['kind'] !== 'string' || !value['kind']) throw new Error(`${where}: kind is not set`);
  const meta = value['metadata'];
  if (meta !== undefined && !isObject(meta)) throw new Error(`${where}: metadata must be an object`);
  const name = isObject(meta) ? meta['name'] : undefined;
  if (typeof name !== 'string' || !name) throw new Error(`${where}: metadata.name is not set`);
  return value as KubeObject;
}

/** The objects of one text (a file's, or stdin's); `source` names it in errors. */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  documentsOf(text, source).forEach((doc, i) => {
    const document = i + 1;
    const where = `${source} (document ${document})`;
    if (doc === null || doc === undefined) return; // an empty document, e.g. after a trailing ---
    const isList = isObject(doc) && typeof doc['kind'] === 'string' && doc['kind'].endsWith('List') && Array.isArray(doc['items']);
    const items: unknown[] = isList ? (doc['items'] as unknown[]) : [doc];
    items.forEach((item, j) => out.push({ object: checkObject(item, isList ? `${where} item ${j + 1}` : where), source, document }));
  });
  return out;
}

/** Reads every object of `paths` (files, directories, `-` for `stdin`), in order. */
export function readManifests(paths: readonly string[], opts: { recursive?: boolean; stdin?: () => string } = {}): Manifest[] {
  if (paths.length === 0) throw new Error('no files given: pass -f FILE, -f DIR or -f -');
  const out: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      const text = opts.stdin ? opts.stdin() : readFileSync(0, 'utf8');
      out.push(...parseManifests(text, 'stdin'));
      continue;
    }
    const files = filesOf(path, opts.recursive ?? false);
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      out.push(...parseManifests(text, file));
    }
  }
  return out;
}
