/** Schemas of the core (`v1`) kinds served: Namespace, ConfigMap, Secret, Service, and the pod template shared by workloads. */
import type { SchemaObject } from 'ajv';
import {
  anyObject,
  bool,
  bytesMap,
  intOrString,
  nonNegativeInt,
  nonNegativeInt32,
  objectSchema,
  portNumber,
  quantityMap,
  shared,
  str,
  stringList,
  stringMap,
} from './meta-v1.js';

const protocol: SchemaObject = { enum: ['TCP', 'UDP', 'SCTP'] };

/** corev1.Toleration. */
export const toleration: SchemaObject = shared('Toleration', {
  type: 'object',
  properties: {
    key: str,
    operator: { enum: ['Exists', 'Equal'] },
    value: str,
    effect: { enum: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    tolerationSeconds: { type: 'integer' },
  },
});

const probe: SchemaObject = shared('Probe', {
  type: 'object',
  properties: {
    httpGet: {
      type: 'object',
      required: ['port'],
      properties: {
        path: str,
        port: { ...intOrString, minimum: 1, maximum: 65535 },
        host: str,
        scheme: { enum: ['HTTP', 'HTTPS'] },
        httpHeaders: { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: str, value: str } } },
      },
    },
    tcpSocket: { type: 'object', required: ['port'], properties: { port: { ...intOrString, minimum: 1, maximum: 65535 }, host: str } },
    exec: { type: 'object', properties: { command: stringList } },
    initialDelaySeconds: nonNegativeInt32,
    timeoutSeconds: nonNegativeInt32,
    periodSeconds: nonNegativeInt32,
    successThreshold: nonNegativeInt32,
    failureThreshold: nonNegativeInt32,
  },
});

const container: SchemaObject = shared('Container', {
  type: 'object',
  required: ['name', 'image'],
  properties: {
    name: str,
    image: str,
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    command: stringList,
    args: stringList,
    workingDir: str,
    env: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: str, value: str, valueFrom: anyObject } },
    },
    envFrom: { type: 'array', items: anyObject },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['containerPort'],
        properties: { name: str, containerPort: portNumber, hostPort: portNumber, hostIP: str, protocol },
      },
    },
    resources: { type: 'object', properties: { limits: quantityMap, requests: quantityMap } },
    volumeMounts: {
      type: 'array',
      items: { type: 'object', required: ['name', 'mountPath'], properties: { name: str, mountPath: str, readOnly: bool, subPath: str } },
    },
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    stdin: bool,
    tty: bool,
  },
});

/** corev1.PodSpec, typed where fedgate reads it and open elsewhere. */
function podSpec(restartPolicies: readonly string[], restartPolicyRequired: boolean): SchemaObject {
  return {
    type: 'object',
    required: restartPolicyRequired ? ['containers', 'restartPolicy'] : ['containers'],
    properties: {
      containers: { type: 'array', minItems: 1, items: container },
      initContainers: { type: 'array', items: container },
      restartPolicy: { enum: [...restartPolicies] },
      nodeSelector: stringMap,
      nodeName: str,
      serviceAccountName: str,
      hostname: str,
      subdomain: str,
      terminationGracePeriodSeconds: nonNegativeInt,
      activeDeadlineSeconds: { type: 'integer', minimum: 1 },
      tolerations: { type: 'array', items: toleration },
      affinity: anyObject,
      volumes: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str } } },
    },
  };
}

/** corev1.PodTemplateSpec; Jobs pass their own restart policies (OnFailure, Never; required). */
export function podTemplateSpec(restartPolicies: readonly string[] = ['Always', 'OnFailure', 'Never'], restartPolicyRequired = false): SchemaObject {
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      metadata: { type: 'object', properties: { labels: stringMap, annotations: stringMap, name: str, namespace: str } },
      spec: podSpec(restartPolicies, restartPolicyRequired),
    },
  };
}

const serviceSpec: SchemaObject = {
  type: 'object',
  properties: {
    type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
    selector: stringMap,
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['port'],
        properties: {
          name: str,
          protocol,
          appProtocol: str,
          port: portNumber,
          targetPort: { ...intOrString, minimum: 1, maximum: 65535 },
          nodePort: portNumber,
        },
      },
    },
    clusterIP: str,
    clusterIPs: stringList,
    externalIPs: stringList,
    externalName: str,
    loadBalancerIP: str,
    sessionAffinity: { enum: ['ClientIP', 'None'] },
    externalTrafficPolicy: { enum: ['Cluster', 'Local'] },
    internalTrafficPolicy: { enum: ['Cluster', 'Local'] },
    publishNotReadyAddresses: bool,
    ipFamilies: { type: 'array', items: { enum: ['IPv4', 'IPv6'] } },
    ipFamilyPolicy: { enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] },
  },
};

/** Schemas of the core group, by kind. */
export const coreV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Namespace: objectSchema({ type: 'object', properties: { finalizers: stringList } }),
  ConfigMap: objectSchema(undefined, { extra: { data: stringMap, binaryData: bytesMap, immutable: bool } }),
  Secret: objectSchema(undefined, { extra: { data: bytesMap, stringData: stringMap, type: str, immutable: bool } }),
  Service: objectSchema(serviceSpec),
};
