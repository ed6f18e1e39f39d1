/**
 * Review requests in Kubernetes' protobuf encoding. kubectl posts SelfSubjectAccessReview
 * (`auth can-i`), SelfSubjectRulesReview (`auth can-i --list`) and SelfSubjectReview (`auth whoami`) through client-go's typed clients,
 * which send `application/vnd.kubernetes.protobuf`: the `k8s\0` magic, then a
 * runtime.Unknown {typeMeta, raw}. Only the fields a review reads are decoded (field numbers
 * of k8s.io/api/authorization/v1/generated.proto); the answer goes back as JSON, which the
 * client accepts by its Content-Type.
 */
import { badRequest } from '../apimachinery/index.js';

/** The media type of Kubernetes' protobuf encoding. */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, (Buffer | number)[]>;

/** Splits one protobuf message into its fields (varints as numbers, length-delimited as buffers). */
function fieldsOf(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw badRequest('the protobuf body is truncated');
      const b = buf[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw badRequest('the protobuf body has an overlong varint');
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw badRequest('the protobuf body is truncated');
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      pos += 8;
      continue;
    } else if (wire === 5) {
      pos += 4;
      continue;
    } else throw badRequest(`the protobuf body has an unsupported wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

function message(f: Fields, n: number): Fields | undefined {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? fieldsOf(v) : undefined;
}

function text(f: Fields | undefined, n: number): string | undefined {
  const v = f?.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
}

/** Keeps the defined string fields. */
function strings(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/**
 * Decodes a protobuf SelfSubjectAccessReview, SelfSubjectRulesReview or SelfSubjectReview body into the JSON shape
 * the review functions take; BadRequest for anything else.
 */
export function decodeReviewProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw badRequest('the protobuf body lacks the k8s envelope');
  const unknown = fieldsOf(body.subarray(MAGIC.length));
  const typeMeta = message(unknown, 1);
  const apiVersion = text(typeMeta, 1) ?? '';
  const kind = text(typeMeta, 2) ?? '';
  const raw = unknown.get(2)?.[0];
  const obj = Buffer.isBuffer(raw) ? fieldsOf(raw) : new Map<number, (Buffer | number)[]>();
  const metadata = strings({ name: text(message(obj, 1), 1) });
  if (kind === 'SelfSubjectReview') return { apiVersion, kind, metadata };
  if (kind === 'SelfSubjectRulesReview') return { apiVersion, kind, metadata, spec: strings({ namespace: text(message(obj, 2), 1) }) };
  if (kind !== 'SelfSubjectAccessReview') throw badRequest(`${kind || 'this kind'} is not accepted as protobuf here; send application/json`);
  const spec = message(obj, 2);
  const res = spec ? message(spec, 1) : undefined;
  const non = spec ? message(spec, 2) : undefined;
  const outSpec: Record<string, unknown> = {};
  if (res) {
    outSpec['resourceAttributes'] = strings({
      namespace: text(res, 1),
      verb: text(res, 2),
      group: text(res, 3),
      version: text(res, 4),
      resource: text(res, 5),
      subresource: text(res, 6),
      name: text(res, 7),
    });
  }
  if (non) outSpec['nonResourceAttributes'] = strings({ path: text(non, 1), verb: text(non, 2) });
  return { apiVersion, kind, metadata, spec: outSpec };
}
