/**
 * Where one Service port sends connections: the ready addresses of the Service's Endpoints
 * object, with the port resolved per endpoint port name (kube-proxy's reading of
 * Endpoints). Pure.
 */
import type { Endpoints, ServicePort } from '../api-types.js';

/** One backend address. */
export interface Target {
  ip: string;
  port: number;
}

/**
 * The ready backends of `servicePort`: for every subset, the endpoint port named like the
 * Service port (an unnamed single port matches an unnamed Service port), crossed with the
 * subset's ready addresses. `notReadyAddresses` never receive traffic.
 */
export function readyTargets(servicePort: Readonly<ServicePort>, endpoints: Readonly<Endpoints> | undefined): Target[] {
  const out: Target[] = [];
  const wanted = servicePort.name ?? '';
  for (const subset of endpoints?.subsets ?? []) {
    const port = subset.ports?.find((p) => (p.name ?? '') === wanted && (p.protocol ?? 'TCP') === (servicePort.protocol ?? 'TCP'));
    if (!port) continue;
    for (const address of subset.addresses ?? []) out.push({ ip: address.ip, port: port.port });
  }
  return out;
}
