/**
 * The Endpoints controller (kubernetes pkg/controller/endpoint/endpoints_controller.go):
 * for every Service with a selector, an Endpoints object of the same name listing the
 * selected pods — ready ones in `addresses`, the others in `notReadyAddresses` — with ports
 * resolved from `targetPort` (a number, or a container port's name). Pods without an IP,
 * terminating or terminal are left out. Services without a selector keep hand-written
 * Endpoints; a deleted Service's Endpoints are deleted by name.
 */
import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists, objectKey, selectorFromSet, splitObjectKey, type KubeObject } from '../../apimachinery/index.js';
import { BY_NAMESPACE, WorkQueue, enqueueObject, type Informer } from '../../controller/index.js';
import type { EndpointAddress, EndpointSubset, Endpoints, Pod, Service, ServicePort } from '../api-types.js';
import type { ControllerContext, RunningController } from './controller-context.js';
import { runLoop } from './controller-loop.js';
import { ObjectWriter } from './object-writer.js';
import { isPodReady, isPodTerminal, isPodTerminating } from './pod-state.js';

type EndpointPort = NonNullable<EndpointSubset['ports']>[number];

/**
 * podutil.FindPort: the container port a Service port's targetPort names. A number is
 * itself; a name is looked up among the pod's container ports; absent means the
 * Service port. Undefined when a named port does not exist in the pod.
 */
export function resolveTargetPort(pod: Readonly<Pod>, port: Readonly<ServicePort>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
    }
  }
  return undefined;
}

/**
 * The subsets of a Service over candidate pods, packed like endpoints.RepackSubsets: pods
 * with the same resolved ports share a subset; addresses sorted by IP.
 */
export function computeSubsets(service: Readonly<Service>, pods: readonly Readonly<Pod>[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || isPodTerminating(pod) || isPodTerminal(pod)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      ports.push(ep);
    }
    if ((service.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const addr: EndpointAddress = {
      ip,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid },
    };
    if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
    if (pod.spec.hostname && pod.spec.subdomain === service.metadata.name) addr.hostname = pod.spec.hostname;
    const id = JSON.stringify(ports);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { ports, ready: [], notReady: [] }));
    (isPodReady(pod) ? g.ready : g.notReady).push(addr);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const s: EndpointSubset = {};
      if (g.ready.length > 0) s.addresses = g.ready.sort(byIp);
      if (g.notReady.length > 0) s.notReadyAddresses = g.notReady.sort(byIp);
      if (g.ports.length > 0) s.ports = g.ports;
      return s;
    });
}

/** Keeps one Endpoints per selecting Service. */
export class EndpointsController {
  /** Name in the controller registry. */
  static readonly controllerName = 'endpoints';
  /** Keys `namespace/name` of Services to reconcile. */
  readonly queue: WorkQueue;
  /** Writes with read-your-writes on the Endpoints cache. */
  readonly writer: ObjectWriter;
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ name: EndpointsController.controllerName, clock: ctx.clock });
    this.services = ctx.informers.informerFor<Service>('services');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.endpoints = ctx.informers.informerFor<Endpoints>('endpoints');
    this.writer = new ObjectWriter(ctx.store, ctx.registry, ctx.clock).track(this.endpoints as unknown as Informer<KubeObject>);
  }

  /** Registers handlers and starts the workers. */
  start(): RunningController {
    const podChanged = (...pods: Readonly<Pod>[]): void => {
      // endpoints_controller.go getPodServiceMemberships: every Service selecting the old or new labels.
      for (const svc of this.services.byIndex(BY_NAMESPACE, pods[0]?.metadata.namespace ?? '')) {
        if (!svc.spec?.selector) continue;
        const sel = selectorFromSet(svc.spec.selector);
        if (pods.some((p) => sel.matches(p.metadata.labels))) this.queue.add(objectKey(svc.metadata));
      }
    };
    const unregister = [
      this.services.addEventHandler(enqueueObject(this.queue)),
      this.pods.addEventHandler({
        onAdd: (p) => podChanged(p as Readonly<Pod>),
        onUpdate: (o, p) => podChanged(o as Readonly<Pod>, p as Readonly<Pod>),
        onDelete: (p) => podChanged(p as Readonly<Pod>),
      }),
      // Someone else editing or deleting managed Endpoints: put them back.
      this.endpoints.addEventHandler({ onUpdate: (_o, e) => this.queue.add(objectKey(e.metadata)), onDelete: (e) => this.queue.add(objectKey(e.metadata)) }),
    ];
    return runLoop(this.ctx, { name: EndpointsController.controllerName, queue: this.queue, writer: this.writer, reconcile: (k) => this.reconcile(k), unregister });
  }

  /** One pass over Service `namespace/name`. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const r = this.writer.resource('endpoints');
    const svc = this.services.get(key);
    if (!svc) {
      // Delete by name, like kube-controller-manager: Endpoints carry no owner reference.
      if (this.endpoints.get(key)) await this.writer.delete(r, namespace, name);
      return;
    }
    if (!svc.spec?.selector || svc.metadata.deletionTimestamp) return;
    const selector = selectorFromSet(svc.spec.selector);
    const pods = this.pods.byIndex(BY_NAMESPACE, namespace ?? '').filter((p) => selector.matches(p.metadata.labels));
    const subsets = computeSubsets(svc, pods);
    const labels = { ...(svc.metadata.labels ?? {}) };
    const current = this.endpoints.get(key);
    if (current && isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata.labels ?? {}, labels)) return;
    if (!current) {
      const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
      try {
        await this.writer.create(ep);
        return;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    await this.writer.mutate<Endpoints>(r, namespace, name, (ep) => {
      ep.subsets = subsets;
      ep.metadata.labels = labels;
    });
  }
}
