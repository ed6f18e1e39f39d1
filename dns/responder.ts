/**
 * One received message in, at most one response out: the transport-free core of the DNS
 * server. It never throws: any failure while answering becomes SERVFAIL (logged, rate
 * limited), and a message too broken to answer gets no reply, so one bad packet cannot
 * stop the next one being answered.
 */
import type { Logger } from '../controller/index.js';
import type { ClientInfo, Zone, ZoneAnswer } from './answer-types.js';
import { AnswerCache, answerFingerprint, cacheKey, MAX_VARIANTS } from './answer-cache.js';
import { parseQuery, type EdnsQuery, type ParsedQuery } from './wire-query.js';
import { encodeAnswerBody, encodeBareResponse, encodeOpt, finishResponse, optFor } from './wire-response.js';
import {
  CLASS_IN,
  CLASSIC_UDP_SIZE,
  DEFAULT_UDP_PAYLOAD,
  MAX_MESSAGE_SIZE,
  MAX_UDP_PAYLOAD,
  RCODE,
  TYPE,
  typeName,
} from './wire.js';

/** How the message arrived: UDP responses are limited by the client's payload size, TCP ones are not. */
export type Transport = 'udp' | 'tcp';

/** Minimum interval between two logs of failed answers. */
const ERROR_LOG_INTERVAL_MS = 1000;

/** Options of a {@link Responder}. */
export interface ResponderOptions {
  zone: Zone;
  logger: Logger;
  /** Our advertised EDNS UDP payload size and the cap on UDP responses (clamped to 512–4096). */
  maxUdpPayload?: number;
  /** Bound on cached (name, type) answers. */
  maxCacheEntries?: number;
}

/** Turns query messages into response messages, with a per-zone-version answer cache. */
export class Responder {
  private readonly zone: Zone;
  private readonly logger: Logger;
  private readonly cache: AnswerCache;
  /** Advertised UDP payload size, also the largest UDP response we send. */
  readonly udpPayload: number;
  /** The OPT of most responses (no ECS, DO clear), encoded once. */
  private readonly plainOpt: Buffer;
  private lastErrorLog = 0;
  private suppressedErrors = 0;

  constructor(options: ResponderOptions) {
    this.zone = options.zone;
    this.logger = options.logger;
    this.cache = new AnswerCache(options.maxCacheEntries);
    this.udpPayload = Math.min(MAX_UDP_PAYLOAD, Math.max(CLASSIC_UDP_SIZE, options.maxUdpPayload ?? DEFAULT_UDP_PAYLOAD));
    this.plainOpt = encodeOpt({ udpPayload: this.udpPayload, extendedRcode: 0, dnssecOk: false });
  }

  /** The response to `packet`, or undefined when it gets none (too short, or itself a response). */
  respond(packet: Buffer, clientAddress: string, transport: Transport): Buffer | undefined {
    let parsed: ReturnType<typeof parseQuery> | undefined;
    try {
      parsed = parseQuery(packet);
      switch (parsed.kind) {
        case 'drop':
          return undefined;
        case 'reject':
          return encodeBareResponse(packet, parsed.questionEnd, parsed.rcode, this.opt(parsed.edns, parsed.rcode));
        case 'query':
          return this.answer(packet, parsed, clientAddress, transport);
      }
    } catch (err) {
      this.logFailure(err, parsed?.kind === 'query' ? parsed.name : undefined);
      if (parsed === undefined || parsed.kind === 'drop') return undefined;
      try {
        return encodeBareResponse(packet, parsed.questionEnd, RCODE.SERVFAIL, this.opt(parsed.edns, RCODE.SERVFAIL));
      } catch {
        return undefined;
      }
    }
  }

  private answer(packet: Buffer, q: ParsedQuery, clientAddress: string, transport: Transport): Buffer {
    // Only class IN exists here (CHAOS `version.bind` and friends are refused, as BIND's
    // default does); zone transfers are not offered; OPT is not a question type.
    if (q.qclass !== CLASS_IN || q.qtype === TYPE.AXFR || q.qtype === TYPE.IXFR) {
      return encodeBareResponse(packet, q.questionEnd, RCODE.REFUSED, this.opt(q.edns, RCODE.REFUSED));
    }
    if (q.qtype === TYPE.OPT) {
      return encodeBareResponse(packet, q.questionEnd, RCODE.FORMERR, this.opt(q.edns, RCODE.FORMERR));
    }
    const limit =
      transport === 'tcp'
        ? MAX_MESSAGE_SIZE
        : q.edns === undefined
          ? CLASSIC_UDP_SIZE
          : Math.min(this.udpPayload, Math.max(CLASSIC_UDP_SIZE, q.edns.udpSize));

    const version = this.zone.version;
    const key = cacheKey(q.name, q.qtype);
    const cached = this.cache.get(version, key);
    let body: Buffer;
    let perQuery = false;
    if (cached !== undefined && !cached.perQuery) {
      body = cached.body;
    } else {
      let answer: ZoneAnswer;
      try {
        answer = this.ask(q, clientAddress);
      } catch (err) {
        this.logFailure(err, q.name);
        return encodeBareResponse(packet, q.questionEnd, RCODE.SERVFAIL, this.opt(q.edns, RCODE.SERVFAIL));
      }
      perQuery = answer.perQuery === true;
      if (!perQuery) {
        body = encodeAnswerBody(packet, q.questionEnd, q.name, answer);
        // SERVFAIL is a passing state of the zone: ask again next time.
        if (answer.rcode !== 'SERVFAIL') this.cache.set(version, key, { perQuery: false, body });
      } else {
        let entry = cached?.perQuery ? cached : undefined;
        if (entry === undefined) {
          entry = { perQuery: true, variants: new Map(), shared: new Map() };
          this.cache.set(version, key, entry);
        }
        // A frozen answer is one of the zone's fixed objects: found again by identity,
        // without fingerprinting its records.
        const frozen = Object.isFrozen(answer);
        let known = frozen ? entry.shared.get(answer) : undefined;
        if (known === undefined) {
          const fingerprint = answerFingerprint(answer);
          known = entry.variants.get(fingerprint);
          if (known === undefined) {
            known = encodeAnswerBody(packet, q.questionEnd, q.name, answer);
            if (entry.variants.size < MAX_VARIANTS) entry.variants.set(fingerprint, known);
          }
          if (frozen && entry.shared.size < MAX_VARIANTS) entry.shared.set(answer, known);
        }
        body = known;
      }
    }
    // RFC 7871 §7.2.1: scope 0 says "valid for every client"; a per-query answer may depend
    // on who asked, so it is scoped to the whole source prefix the client sent.
    const opt =
      q.edns === undefined
        ? undefined
        : q.edns.ecs === undefined && !q.edns.dnssecOk
          ? this.plainOpt
          : encodeOpt(optFor(q.edns, this.udpPayload, 0, perQuery ? q.edns.ecs?.sourcePrefix : 0)!);
    return finishResponse(body, packet, q.questionEnd, opt, limit);
  }

  /** The zone's answer; names outside every zone are REFUSED without asking it. */
  private ask(q: ParsedQuery, clientAddress: string): ZoneAnswer {
    if (!this.zone.inZone(q.name)) {
      return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] };
    }
    const client: ClientInfo = { address: clientAddress };
    if (q.edns?.ecs !== undefined) client.subnet = q.edns.ecs.subnet;
    return this.zone.answer({ name: q.name, type: typeName(q.qtype) }, client);
  }

  private opt(edns: EdnsQuery | undefined, rcode: number): Buffer | undefined {
    const params = optFor(edns, this.udpPayload, rcode);
    return params === undefined ? undefined : encodeOpt(params);
  }

  private logFailure(err: unknown, name: string | undefined): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) {
      this.suppressedErrors++;
      return;
    }
    this.logger.error({ err, name, suppressed: this.suppressedErrors }, 'DNS answer failed; replied SERVFAIL');
    this.lastErrorLog = now;
    this.suppressedErrors = 0;
  }
}
