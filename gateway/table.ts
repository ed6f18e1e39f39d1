/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): objects
 * become a `meta.k8s.io` Table — column definitions from the kind's printer, one row of
 * human-ready cells per object, and the object itself as `includeObject` says
 * (`Metadata`, the default: PartialObjectMetadata; `Object`; `None`). kubectl prints these
 * as they come; so does `fedgate get`.
 */
import { badRequest, type KubeObject, type ListMeta, type ResourceInfo } from '../apimachinery/index.js';
import { printerFor, type TableColumnDefinition } from './table-printers.js';

/** What each row carries besides its cells. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Options of `tableFor`. */
export interface TableOptions {
  includeObject: IncludeObject;
  /** The clock ages are computed against. */
  now: Date;
  /** The federation gateway: templates get a CLUSTERS column. */
  federated: boolean;
  /** meta.k8s.io version of the Table. */
  version: 'v1' | 'v1beta1';
}

/** One row of a Table. */
export interface TableRow {
  cells: (string | number | boolean)[];
  object?: unknown;
}

/** metav1.Table. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** The `includeObject` query value; BadRequest for anything but None, Metadata, Object. */
export function parseIncludeObject(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`);
}

/** metav1.PartialObjectMetadata of an object. */
export function partialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** A list's PartialObjectMetadataList. */
export function partialObjectMetadataList(items: readonly KubeObject[], metadata: ListMeta, version: 'v1' | 'v1beta1' = 'v1'): Record<string, unknown> {
  return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${version}`, metadata, items: items.map((i) => partialObjectMetadata(i, version)) };
}

/** The Table of `objects` of resource `r` (a list, one object, or one watch event's object). */
export function tableFor(r: Pick<ResourceInfo, 'group' | 'plural'>, objects: readonly KubeObject[], opts: TableOptions, metadata: ListMeta = {}): Table {
  const printer = printerFor(r, opts.federated);
  const ctx = { now: opts.now };
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata,
    columnDefinitions: printer.columns.map((c) => ({ ...c.definition })),
    rows: objects.map((obj) => {
      const row: TableRow = { cells: printer.columns.map((c) => c.cell(obj, ctx)) };
      if (opts.includeObject === 'Object') row.object = obj;
      else if (opts.includeObject === 'Metadata') row.object = partialObjectMetadata(obj, opts.version);
      return row;
    }),
  };
}
