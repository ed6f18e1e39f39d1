/**
 * Output as kubectl prints it: aligned columns (its tabwriter settings), ages
 * (`HumanDuration`), server-side `Table`s (meta.k8s.io/v1) with a name-and-age fallback for
 * servers that send plain lists, and `-o yaml|json|name`.
 */
import { stringify } from 'yaml';
import { humanDuration, type KubeObject, type ResourceInfo } from '../apimachinery/index.js';
import { kindGroup } from './api-discovery.js';

/** Spaces between columns (kubectl's tabwriter padding). */
const COLUMN_PADDING = 3;
/** Smallest column width including the padding (kubectl's tabwriter minwidth). */
const MIN_COLUMN_WIDTH = 6;

/** `Accept` of human-readable reads: a server-side Table, or plain JSON from servers without one. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

/** Output formats of `get`. */
export type OutputFormat = 'wide' | 'yaml' | 'json' | 'name';

/** A column of a meta.k8s.io/v1 Table. */
export interface TableColumn {
  name: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** A row of a meta.k8s.io/v1 Table. */
export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; resourceVersion?: string; creationTimestamp?: string } };
}

/** A meta.k8s.io/v1 Table. */
export interface ServerTable {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string };
  columnDefinitions?: TableColumn[];
  rows?: TableRow[];
}

/** True when a server answer is a Table. */
export function isTable(v: unknown): v is ServerTable {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Table';
}

/** kubectl's age form (one definition, in apimachinery). */
export { humanDuration };

/** The age of an object from its creationTimestamp, or `<unknown>`. */
export function ageOf(timestamp: string | undefined, now: number): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** Column widths of `rows` as kubectl's tabwriter sets them (the last column is not padded). */
export function columnWidths(rows: readonly (readonly string[])[], atLeast: readonly number[] = []): number[] {
  const widths: number[] = [...atLeast];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, MIN_COLUMN_WIDTH, cell.length + COLUMN_PADDING);
    });
  }
  return widths;
}

/** One line of aligned cells. */
export function formatRow(row: readonly string[], widths: readonly number[]): string {
  return row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('').trimEnd();
}

/** Rows (the header first) as aligned lines, each ending in a newline. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(rows);
  return rows.map((r) => `${formatRow(r, widths)}\n`).join('');
}

/** A printed table: a header and rows of strings. */
export interface PrintedTable {
  header: string[];
  rows: string[][];
}

/** How a Table is printed. */
export interface TableOptions {
  /** `-o wide`: columns of every priority, not only priority 0. */
  wide?: boolean;
  /** `-A`: a NAMESPACE column first. */
  withNamespace?: boolean;
  /** Prefix of the NAME cells (`deployment.apps/`) when several kinds are printed together. */
  namePrefix?: string;
  now: number;
}

function cellText(cell: unknown, column: TableColumn | undefined, now: number): string {
  if (cell === null || cell === undefined) return '<none>';
  if (typeof cell === 'string') {
    if (column?.type === 'date' || column?.format === 'date') {
      const t = Date.parse(cell);
      if (!Number.isNaN(t)) return humanDuration(now - t);
    }
    return cell;
  }
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}

/** Indices of the columns to print. */
export function visibleColumns(columns: readonly TableColumn[], wide: boolean): number[] {
  return columns.flatMap((c, i) => (wide || !c.priority ? [i] : []));
}

/** The rows of a server Table, as printed; `columns` default to the table's own. */
export function tableRows(table: ServerTable, opts: TableOptions, columns: readonly TableColumn[] = table.columnDefinitions ?? []): string[][] {
  const visible = visibleColumns(columns, opts.wide ?? false);
  const nameIndex = columns.findIndex((c) => c.name.toLowerCase() === 'name');
  return (table.rows ?? []).map((row) => {
    const cells = visible.map((i) => {
      const text = cellText(row.cells?.[i], columns[i], opts.now);
      return i === nameIndex && opts.namePrefix ? `${opts.namePrefix}${text}` : text;
    });
    return opts.withNamespace ? [row.object?.metadata?.namespace ?? '', ...cells] : cells;
  });
}

/** The header of a server Table, as printed. */
export function tableHeader(columns: readonly TableColumn[], opts: Pick<TableOptions, 'wide' | 'withNamespace'>): string[] {
  const names = visibleColumns(columns, opts.wide ?? false).map((i) => columns[i]!.name.toUpperCase());
  return opts.withNamespace ? ['NAMESPACE', ...names] : names;
}

/** A server Table, printed. */
export function printServerTable(table: ServerTable, opts: TableOptions): PrintedTable {
  const columns = table.columnDefinitions ?? [];
  return { header: tableHeader(columns, opts), rows: tableRows(table, opts) };
}

/** Header of the table printed from plain objects (servers without Table output). */
export function fallbackHeader(withNamespace: boolean): string[] {
  return withNamespace ? ['NAMESPACE', 'NAME', 'AGE'] : ['NAME', 'AGE'];
}

/** One row printed from a plain object: NAME and AGE (NAMESPACE first with `-A`). */
export function fallbackRow(obj: KubeObject, opts: TableOptions): string[] {
  const name = `${opts.namePrefix ?? ''}${obj.metadata?.name ?? ''}`;
  const row = [name, ageOf(obj.metadata?.creationTimestamp, opts.now)];
  return opts.withNamespace ? [obj.metadata?.namespace ?? '', ...row] : row;
}

/** Plain objects as a NAME/AGE table. */
export function printFallbackTable(items: readonly KubeObject[], opts: TableOptions): PrintedTable {
  return { header: fallbackHeader(opts.withNamespace ?? false), rows: items.map((o) => fallbackRow(o, opts)) };
}

/** `kind.group/name`, what `-o name` prints. */
export function objectName(r: Pick<ResourceInfo, 'kind' | 'group'>, name: string): string {
  return `${kindGroup(r)}/${name}`;
}

/** An object in `-o yaml` or `-o json`. */
export function formatObject(obj: unknown, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(obj, null, 4)}\n` : stringify(obj, { lineWidth: 0 });
}

/** Several objects as kubectl prints them together: a `v1` `List`. */
export function asList(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}

/** Every object of a list with its apiVersion and kind (list items may leave them out). */
export function withTypeMeta(items: readonly KubeObject[], r: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): KubeObject[] {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  return items.map((o) => {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return { apiVersion: o.apiVersion || apiVersion, kind: o.kind || r.kind, ...rest } as KubeObject;
  });
}
