/**
 * The client-region table of the `geo` strategy (longest-prefix match, geo-prefixes.ts),
 * as configuration: a malformed line is a BadRequest.
 */
import { badRequest } from '../apimachinery/index.js';
import { parsePrefix, PrefixTable, type GeoTableEntry } from './geo-prefixes.js';

export { ipv4ToBigInt, ipv6ToBigInt, PrefixTable, type GeoTableEntry } from './geo-prefixes.js';

/** The entries, checked: BadRequest names the first malformed one. */
function checked(entries: readonly GeoTableEntry[]): readonly GeoTableEntry[] {
  for (const e of entries) {
    try {
      parsePrefix(e);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
  }
  return entries;
}

/** Longest-prefix lookup of client addresses to regions; throws BadRequest on a malformed entry. */
export class GeoTable extends PrefixTable {
  constructor(entries: readonly GeoTableEntry[] = []) {
    super(checked(entries));
  }
}
