/**
 * Prometheus metrics of one gateway, named as kube-apiserver names them. Each gateway has
 * its own prom-client Registry, so several gateways in one process never clash.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request latency buckets (seconds), after kube-apiserver's apiserver_request_duration_seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 5, 10, 30, 60];

/** The metrics a gateway exports. */
export class GatewayMetrics {
  /** The registry `/metrics` serves. */
  readonly registry = new Registry();
  /** apiserver_request_total{verb,resource,code}. */
  readonly requests: Counter<'verb' | 'resource' | 'code'>;
  /** apiserver_request_duration_seconds{verb,resource}. */
  readonly duration: Histogram<'verb' | 'resource'>;
  /** apiserver_registered_watchers{resource}: open watch streams. */
  readonly watchers: Gauge<'resource'>;
  /** apiserver_watch_events_total{resource,type}: events written to watch streams. */
  readonly watchEvents: Counter<'resource' | 'type'>;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, resource and HTTP response code.',
      labelNames: ['verb', 'resource', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Response latency distribution in seconds for each verb and resource.',
      labelNames: ['verb', 'resource'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.watchers = new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently open watch streams for a given resource.',
      labelNames: ['resource'],
      registers,
    });
    this.watchEvents = new Counter({
      name: 'apiserver_watch_events_total',
      help: 'Number of events sent in watch clients.',
      labelNames: ['resource', 'type'],
      registers,
    });
  }

  /** Records one finished request (a watch counts when its stream starts). */
  observeRequest(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    this.duration.observe({ verb, resource }, seconds);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
