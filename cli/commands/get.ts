/**
 * `fedgate get KIND [NAME...]`: objects as kubectl prints them. Human output asks the
 * server for a Table (meta.k8s.io/v1) and prints its columns; a server that answers with a
 * plain list gets a NAME/AGE table instead. `-o yaml|json|name` print the objects; `-w`
 * prints the current objects, then a row per change until Ctrl-C.
 */
import type { KubeList, KubeObject } from '../../apimachinery/index.js';
import { ApiResources, kindGroup, resourcePath } from '../api-discovery.js';
import { gatewayRequest, GatewayRequestError, openStream, readJsonLines, type TargetLike } from '../gateway-client.js';
import { resolveTarget, type TargetFlags } from '../kubeconfig.js';
import {
  asList,
  columnWidths,
  fallbackHeader,
  fallbackRow,
  formatColumns,
  formatObject,
  formatRow,
  isTable,
  objectName,
  printFallbackTable,
  printServerTable,
  TABLE_ACCEPT,
  tableHeader,
  tableRows,
  withTypeMeta,
  type OutputFormat,
  type PrintedTable,
  type ServerTable,
  type TableColumn,
  type TableOptions,
} from '../printers.js';
import { listQuery, parseResourceArgs, type ResourceRequest } from '../resource-args.js';
import { namespaceOf } from '../target-flags.js';

/** Flags of `fedgate get`. */
export interface GetFlags extends TargetFlags {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  output?: OutputFormat;
  watch?: boolean;
  watchOnly?: boolean;
  ignoreNotFound?: boolean;
}

/** A watch the server ends this soon without an event is retried only after this long. */
const REWATCH_PAUSE_MS = 1000;

const isHuman = (format: OutputFormat | undefined): boolean => format === undefined || format === 'wide';

/** What one request read: a server Table, or plain objects. */
interface ReadResult {
  table?: ServerTable;
  items: KubeObject[];
}

/** Reads a collection, or the named objects (missing ones are reported on stderr). */
async function read(target: TargetLike, req: ResourceRequest, namespace: string | undefined, flags: GetFlags, accept: string): Promise<{ result: ReadResult; missing: number }> {
  const r = req.resource;
  const ns = r.namespaced ? namespace : undefined;
  if (req.names.length === 0) {
    const query = listQuery({ labelSelector: flags.selector, fieldSelector: flags.fieldSelector });
    const answer = await gatewayRequest<ServerTable | KubeList>(target, 'GET', `${resourcePath(r, ns)}${query}`, undefined, undefined, accept);
    if (isTable(answer)) return { result: { table: answer, items: [] }, missing: 0 };
    return { result: { items: withTypeMeta(answer.items ?? [], r) }, missing: 0 };
  }
  const result: ReadResult = { items: [] };
  let missing = 0;
  for (const name of req.names) {
    let answer: ServerTable | KubeObject;
    try {
      answer = await gatewayRequest<ServerTable | KubeObject>(target, 'GET', resourcePath(r, ns, name), undefined, undefined, accept);
    } catch (err) {
      if (!(err instanceof GatewayRequestError && err.status === 404)) throw err;
      if (!flags.ignoreNotFound) {
        missing++;
        process.stderr.write(`Error from server (NotFound): ${err.message}\n`);
      }
      continue;
    }
    if (isTable(answer)) {
      if (!result.table) result.table = { ...answer, rows: [] };
      result.table.rows!.push(...(answer.rows ?? []));
    } else {
      result.items.push(...withTypeMeta([answer], r));
    }
  }
  return { result, missing };
}

/** The printed table of a read: the server's columns, or NAME/AGE from plain objects. */
function printed(result: ReadResult, opts: TableOptions): PrintedTable {
  return result.table ? printServerTable(result.table, opts) : printFallbackTable(result.items, opts);
}

/** The action of `fedgate get`. */
export async function getCommand(args: string[], flags: GetFlags): Promise<void> {
  const target = resolveTarget(flags);
  const api = await ApiResources.discover(target);
  const requests = parseResourceArgs(args, api);
  const namespace = flags.allNamespaces ? undefined : namespaceOf(flags.namespace, target);
  if (flags.allNamespaces && requests.some((q) => q.names.length > 0 && q.resource.namespaced)) {
    throw new Error('a resource cannot be retrieved by name across all namespaces: pass -n NAMESPACE');
  }
  if (flags.watch || flags.watchOnly) return watchCommand(target, requests, namespace, flags);

  const human = isHuman(flags.output);
  const accept = human ? TABLE_ACCEPT : 'application/json';
  const now = Date.now();
  const several = requests.length > 1;
  let missing = 0;
  let printedAny = false;
  const objects: KubeObject[] = [];
  for (const req of requests) {
    const { result, missing: m } = await read(target, req, namespace, flags, accept);
    missing += m;
    if (!human) {
      objects.push(...result.items);
      continue;
    }
    const opts: TableOptions = {
      wide: flags.output === 'wide',
      withNamespace: Boolean(flags.allNamespaces && req.resource.namespaced),
      ...(several ? { namePrefix: `${kindGroup(req.resource)}/` } : {}),
      now,
    };
    const t = printed(result, opts);
    if (t.rows.length === 0) continue;
    if (printedAny) process.stdout.write('\n');
    process.stdout.write(formatColumns([t.header, ...t.rows]));
    printedAny = true;
  }
  if (human) {
    if (!printedAny && missing === 0 && !requests.some((r) => r.names.length > 0)) {
      const scoped = namespace !== undefined && requests.every((r) => r.resource.namespaced);
      process.stderr.write(scoped ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
    }
  } else if (flags.output === 'name') {
    for (const o of objects) process.stdout.write(`${objectName(api.forKind(o.apiVersion, o.kind), o.metadata.name ?? '')}\n`);
  } else {
    const single = requests.length === 1 && requests[0]!.names.length === 1;
    if (single && objects.length === 1) process.stdout.write(formatObject(objects[0], flags.output as 'yaml' | 'json'));
    else if (!single) process.stdout.write(formatObject(asList(objects), flags.output as 'yaml' | 'json'));
  }
  if (missing > 0) process.exitCode = 1;
}

/** Prints aligned rows as they come, widening columns when a row needs it (kubectl re-aligns the same way per flush). */
class RowPrinter {
  private widths: number[] = [];
  private header: string[] | undefined;

  row(header: string[], row: string[]): void {
    if (!this.header) {
      this.header = header;
      this.widths = columnWidths([header, row]);
      process.stdout.write(`${formatRow(header, this.widths)}\n`);
    } else {
      this.widths = columnWidths([row], this.widths);
    }
    process.stdout.write(`${formatRow(row, this.widths)}\n`);
  }
}

/** `get -w`: the current objects (unless --watch-only), then a row per change until Ctrl-C. */
async function watchCommand(target: TargetLike, requests: ResourceRequest[], namespace: string | undefined, flags: GetFlags): Promise<void> {
  if (requests.length !== 1 || requests[0]!.names.length > 1) {
    throw new Error('watch is only supported on one resource type and at most one name');
  }
  const req = requests[0]!;
  const r = req.resource;
  const ns = r.namespaced ? namespace : undefined;
  const human = isHuman(flags.output);
  const accept = human ? TABLE_ACCEPT : 'application/json';
  const fieldSelector = [flags.fieldSelector, req.names[0] !== undefined ? `metadata.name=${req.names[0]}` : undefined].filter(Boolean).join(',');
  const selectors = { labelSelector: flags.selector, fieldSelector: fieldSelector || undefined };
  const path = resourcePath(r, ns);
  const opts: TableOptions = { wide: flags.output === 'wide', withNamespace: Boolean(flags.allNamespaces && r.namespaced), now: Date.now() };
  const rows = new RowPrinter();
  let columns: TableColumn[] | undefined;
  let yamlDocs = 0;

  const printObject = (obj: KubeObject): void => {
    if (flags.output === 'name') process.stdout.write(`${objectName(r, obj.metadata?.name ?? '')}\n`);
    else if (flags.output === 'json') process.stdout.write(formatObject(obj, 'json'));
    else if (flags.output === 'yaml') process.stdout.write(`${yamlDocs++ > 0 ? '---\n' : ''}${formatObject(obj, 'yaml')}`);
    else rows.row(fallbackHeader(opts.withNamespace ?? false), fallbackRow(obj, { ...opts, now: Date.now() }));
  };
  const printTable = (table: ServerTable): void => {
    if (table.columnDefinitions && table.columnDefinitions.length > 0) columns = table.columnDefinitions;
    if (!columns) return;
    for (const row of tableRows(table, { ...opts, now: Date.now() }, columns)) rows.row(tableHeader(columns, opts), row);
  };

  // The listing: printed unless --watch-only; the watch starts at its resourceVersion.
  const listed = await gatewayRequest<ServerTable | KubeList>(target, 'GET', `${path}${listQuery(selectors)}`, undefined, undefined, accept);
  let resourceVersion = listed.metadata?.resourceVersion;
  if (!flags.watchOnly) {
    if (isTable(listed)) printTable(listed);
    else for (const o of withTypeMeta(listed.items ?? [], r)) printObject(o);
  } else if (isTable(listed) && listed.columnDefinitions) {
    columns = listed.columnDefinitions;
  }
  if (!resourceVersion) {
    const plain = await gatewayRequest<KubeList>(target, 'GET', `${path}${listQuery({ ...selectors, limit: '1' })}`);
    resourceVersion = plain.metadata?.resourceVersion;
  }

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop.signal.aborted) {
      let failure: Error | undefined;
      let res;
      try {
        res = await openStream(target, `${path}${listQuery({ ...selectors, watch: 'true', allowWatchBookmarks: 'true', resourceVersion })}`, { accept, signal: stop.signal });
      } catch (err) {
        if (stop.signal.aborted) break;
        throw err;
      }
      const started = Date.now();
      let events = 0;
      await readJsonLines(res, (raw) => {
        events++;
        const event = raw as { type?: string; object?: Record<string, unknown> };
        const obj = event.object ?? {};
        if (event.type === 'ERROR') {
          failure = new Error(typeof obj['message'] === 'string' ? obj['message'] : 'the watch failed');
          res.destroy();
          return;
        }
        const rv = isTable(obj) ? (obj.metadata?.resourceVersion ?? obj.rows?.at(-1)?.object?.metadata?.resourceVersion) : (obj as KubeObject).metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        if (event.type === 'BOOKMARK') return;
        if (isTable(obj)) {
          if (human) printTable(obj);
        } else {
          printObject(withTypeMeta([obj as KubeObject], r)[0]!);
        }
      });
      if (failure && !stop.signal.aborted) throw failure;
      // The server ended the watch (its timeout): watch again from the last version seen,
      // after a pause when it ended at once with nothing in it.
      if (events === 0 && Date.now() - started < REWATCH_PAUSE_MS && !stop.signal.aborted) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, REWATCH_PAUSE_MS);
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), r()), { once: true });
        });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
