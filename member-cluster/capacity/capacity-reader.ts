/**
 * The capacity report and fit counts read from the member's shared informers, for the
 * heartbeat. No state of its own: every call reads the caches as they are.
 */
import type { SharedInformerFactory, Informer } from '../../controller/index.js';
import type { Endpoints, Node, Pod, PodSpec, Service } from '../api-types.js';
import { capacityReport, fitCount, type CapacityReport, type CapacityReportOptions, type FitCount } from './capacity-report.js';

/** Reads capacity reports from the informers of nodes, pods, Services and Endpoints. */
export class CapacityReader {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly services: Informer<Service>;
  private readonly endpoints: Informer<Endpoints>;

  constructor(informers: SharedInformerFactory, private readonly options: CapacityReportOptions = {}) {
    this.nodes = informers.informerFor<Node>('nodes');
    this.pods = informers.informerFor<Pod>('pods');
    this.services = informers.informerFor<Service>('services');
    this.endpoints = informers.informerFor<Endpoints>('endpoints');
  }

  /** True once every cache this reads has been filled. */
  hasSynced(): boolean {
    return this.nodes.hasSynced() && this.pods.hasSynced() && this.services.hasSynced() && this.endpoints.hasSynced();
  }

  /** The report as the caches show it now. */
  report(): CapacityReport {
    return capacityReport(this.nodes.list(), this.pods.list(), this.services.list(), this.endpoints.list(), this.options);
  }

  /** How many more replicas of `template` fit now. */
  fitCount(template: Readonly<PodSpec>): FitCount {
    return fitCount(template, this.nodes.list(), this.pods.list());
  }
}
