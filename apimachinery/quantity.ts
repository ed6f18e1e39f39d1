/**
 * Kubernetes resource quantities (k8s.io/apimachinery `resource.Quantity`): `500m`, `0.5`,
 * `2`, `128Mi`, `1Gi`, `1G`, `1e3`, `100k`. Inside fedgate a quantity becomes one integer
 * amount per resource: cpu in millicores, everything else (memory, storage, pods) in base
 * units. Like Kubernetes' `MilliValue()`/`Value()`, amounts round up, so a request is never
 * under-counted. Parsing uses exact decimal arithmetic (BigInt), so `0.1` cpu is 100m, not
 * 101m.
 */
import { badRequest } from './errors.js';

/** A resource quantity as Kubernetes writes it: `500m`, `2`, `128Mi`, `1Gi`. */
export type Quantity = string | number;
/** `{cpu: '500m', memory: '128Mi', pods: '110'}` */
export type ResourceList = Record<string, Quantity>;

/** Integer amounts per resource name: cpu in millicores, others in base units. */
export type ResourceAmounts = Record<string, number>;

/** The resource measured in thousandths (its amount is `value × 1000`). */
export const MILLI_RESOURCES: ReadonlySet<string> = new Set(['cpu']);

/** Kubernetes' quantity grammar: signed decimal number, then a suffix or a decimal exponent. */
const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Suffix → power of two (binary SI). */
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** Suffix → power of ten (decimal SI). */
const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Exponents beyond this are refused: no real quantity needs them and BigInt powers would be huge. */
const MAX_EXPONENT = 30;

/** A quantity as the exact rational `num / den` (den > 0). */
interface Rational {
  num: bigint;
  den: bigint;
}

function parseRational(q: Quantity): Rational {
  const text = typeof q === 'number' ? numberText(q) : q.trim();
  const m = QUANTITY_RE.exec(text);
  if (!m) throw badRequest(`quantity "${String(q)}" is not valid: expected a number with an optional suffix (500m, 2, 128Mi, 1G, 1e3)`);
  const [, sign, digits, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const [whole = '', frac = ''] = digits.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let pow10 = -frac.length;
  let pow2 = 0;
  if (suffix in BINARY_SUFFIX) pow2 = BINARY_SUFFIX[suffix]!;
  else if (suffix in DECIMAL_SUFFIX) pow10 += DECIMAL_SUFFIX[suffix]!;
  else {
    const exp = Number(suffix.slice(1));
    if (Math.abs(exp) > MAX_EXPONENT) throw badRequest(`quantity "${String(q)}" is out of range`);
    pow10 += exp;
  }
  if (sign === '-') num = -num;
  let den = 1n;
  if (pow10 >= 0) num *= 10n ** BigInt(pow10);
  else den = 10n ** BigInt(-pow10);
  num *= 2n ** BigInt(pow2);
  return { num, den };
}

/** A JS number in a form the grammar accepts (`1e+21` is fine; NaN and Infinity are not). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw badRequest(`quantity ${n} is not a finite number`);
  return String(n);
}

/** Rounds `num/den` up to an integer (towards +∞), as Kubernetes rounds quantities. */
function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den > 0n ? q + 1n : q;
}

/** The value of a quantity in base units as a float (`500m` → 0.5, `1Ki` → 1024). */
export function parseQuantity(q: Quantity): number {
  const { num, den } = parseRational(q);
  return Number(num) / Number(den);
}

/** The integer amount of resource `name`: millicores for cpu, base units rounded up otherwise. */
export function quantityAmount(name: string, q: Quantity): number {
  const { num, den } = parseRational(q);
  const scaled = MILLI_RESOURCES.has(name) ? num * 1000n : num;
  return Number(ceilDiv(scaled, den));
}

/**
 * Formats an amount back into the shortest exact Kubernetes quantity: cpu `500m` or `2`;
 * bytes `128Mi`, `1Gi`, `1500k` (binary suffixes preferred, as kubectl shows memory); counts plain.
 */
export function formatQuantity(name: string, amount: number): string {
  if (!Number.isFinite(amount)) throw badRequest(`amount ${amount} of ${name} is not finite`);
  if (MILLI_RESOURCES.has(name)) {
    return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  }
  if (!Number.isInteger(amount) || amount === 0) return String(amount);
  for (const [suffix, pow] of Object.entries(BINARY_SUFFIX).reverse()) {
    const unit = 2 ** pow;
    if (amount % unit === 0) return `${amount / unit}${suffix}`;
  }
  if (name === 'pods') return String(amount);
  for (const [suffix, pow] of Object.entries(DECIMAL_SUFFIX).reverse()) {
    if (pow <= 0) break;
    const unit = 10 ** pow;
    if (amount % unit === 0) return `${amount / unit}${suffix}`;
  }
  return String(amount);
}

/** Every quantity of a ResourceList as integer amounts; a bad quantity names its resource. */
export function toAmounts(list: Readonly<ResourceList> | undefined): ResourceAmounts {
  const out: ResourceAmounts = {};
  for (const [name, q] of Object.entries(list ?? {})) {
    try {
      out[name] = quantityAmount(name, q);
    } catch (err) {
      throw badRequest(`${name}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** Integer amounts back to a ResourceList of formatted quantities. */
export function toResourceList(amounts: Readonly<ResourceAmounts>): ResourceList {
  const out: ResourceList = {};
  for (const [name, amount] of Object.entries(amounts)) out[name] = formatQuantity(name, amount);
  return out;
}

/** Resource names are Kubernetes qualified names (`cpu`, `nvidia.com/gpu`). */
const RESOURCE_NAME_RE = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Parses a `--node-capacity` style list, `cpu=4,memory=8Gi,pods=110`, checking every
 * quantity; throws BadRequest naming the offending part. Amounts may not be negative.
 */
export function parseResourceList(text: string): ResourceList {
  const out: ResourceList = {};
  const trimmed = text.trim();
  if (trimmed === '') throw badRequest('resource list is empty: expected name=quantity pairs such as cpu=4,memory=8Gi,pods=110');
  for (const part of trimmed.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || name === '' || value === '') {
      throw badRequest(`resource list "${text}": "${part.trim()}" is not name=quantity (for example cpu=4,memory=8Gi,pods=110)`);
    }
    if (!RESOURCE_NAME_RE.test(name)) throw badRequest(`resource list "${text}": "${name}" is not a resource name`);
    if (name in out) throw badRequest(`resource list "${text}": ${name} is given twice`);
    let amount: number;
    try {
      amount = quantityAmount(name, value);
    } catch {
      throw badRequest(`resource list "${text}": ${name}=${value} is not a quantity (examples: 500m, 2, 128Mi, 1Gi, 1e3)`);
    }
    if (amount < 0) throw badRequest(`resource list "${text}": ${name}=${value} is negative`);
    out[name] = value;
  }
  return out;
}

/** `a + b` per resource (a resource missing on one side counts as 0). */
export function addAmounts(a: Readonly<ResourceAmounts>, b: Readonly<ResourceAmounts>): ResourceAmounts {
  const out: ResourceAmounts = { ...a };
  for (const [name, v] of Object.entries(b)) out[name] = (out[name] ?? 0) + v;
  return out;
}

/** `a − b` per resource; results may be negative (an overcommitted node). */
export function subtractAmounts(a: Readonly<ResourceAmounts>, b: Readonly<ResourceAmounts>): ResourceAmounts {
  const out: ResourceAmounts = { ...a };
  for (const [name, v] of Object.entries(b)) out[name] = (out[name] ?? 0) - v;
  return out;
}

/** Resources of which `request` wants more than `available` has, in name order; empty when it fits. */
export function exceededResources(request: Readonly<ResourceAmounts>, available: Readonly<ResourceAmounts>): string[] {
  return Object.keys(request)
    .filter((name) => (request[name] ?? 0) > 0 && (request[name] ?? 0) > (available[name] ?? 0))
    .sort();
}

/** True when every amount of `a` is at most the same amount of `b` (missing counts as 0). */
export function fitsWithin(a: Readonly<ResourceAmounts>, b: Readonly<ResourceAmounts>): boolean {
  return exceededResources(a, b).length === 0;
}

/** `-1`, `0`, `1` comparing one resource of two lists (missing counts as 0). */
export function compareAmount(name: string, a: Readonly<ResourceAmounts>, b: Readonly<ResourceAmounts>): -1 | 0 | 1 {
  const x = a[name] ?? 0;
  const y = b[name] ?? 0;
  return x < y ? -1 : x > y ? 1 : 0;
}
