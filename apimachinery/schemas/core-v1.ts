/**
 * Schemas of the core (`v1`) kinds served: Namespace, ConfigMap, Secret, Service, Event, the
 * pod template shared by workloads, and the kinds a member cluster adds (Pod, Node,
 * Endpoints, PersistentVolumeClaim). Lists carry Kubernetes' list types and patch merge keys
 * (`keyedList`, `setList`, `atomicList`), which strategic merge patch, server-side apply and
 * OpenAPI read from here.
 */
import type { SchemaObject } from 'ajv';
import {
  atomicList,
  bool,
  bytesMap,
  describe,
  intOrString,
  keyedList,
  labelSelector,
  nonNegativeInt,
  nonNegativeInt32,
  objectMeta,
  objectSchema,
  openObject,
  portNumber,
  quantity,
  quantityMap,
  setList,
  shared,
  str,
  stringMap,
} from './meta-v1.js';

const protocol: SchemaObject = { enum: ['TCP', 'UDP', 'SCTP'] };
const integer: SchemaObject = { type: 'integer' };
const portOrName: SchemaObject = { ...intOrString, minimum: 1, maximum: 65535 };

/** corev1.Toleration. */
export const toleration: SchemaObject = shared('Toleration', {
  type: 'object',
  properties: {
    key: str,
    operator: { enum: ['Exists', 'Equal'] },
    value: str,
    effect: { enum: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
    tolerationSeconds: integer,
  },
});

const httpGet: SchemaObject = {
  type: 'object',
  required: ['port'],
  properties: {
    path: str,
    port: portOrName,
    host: str,
    scheme: { enum: ['HTTP', 'HTTPS'] },
    httpHeaders: atomicList({ type: 'object', required: ['name', 'value'], properties: { name: str, value: str } }),
  },
};
const tcpSocket: SchemaObject = { type: 'object', required: ['port'], properties: { port: portOrName, host: str } };
const execAction: SchemaObject = { type: 'object', properties: { command: atomicList(str) } };

const probe: SchemaObject = shared('Probe', {
  type: 'object',
  description: 'A health check the kubelet runs against a container.',
  properties: {
    httpGet,
    tcpSocket,
    exec: execAction,
    grpc: { type: 'object', required: ['port'], properties: { port: { type: 'integer' }, service: str } },
    initialDelaySeconds: nonNegativeInt32,
    timeoutSeconds: nonNegativeInt32,
    periodSeconds: nonNegativeInt32,
    successThreshold: nonNegativeInt32,
    failureThreshold: nonNegativeInt32,
    terminationGracePeriodSeconds: integer,
  },
});

const lifecycleHandler: SchemaObject = {
  type: 'object',
  properties: { exec: execAction, httpGet, tcpSocket, sleep: { type: 'object', required: ['seconds'], properties: { seconds: integer } } },
};

const seccompProfile: SchemaObject = { type: 'object', properties: { type: str, localhostProfile: str } };

const containerSecurityContext: SchemaObject = {
  type: 'object',
  properties: {
    allowPrivilegeEscalation: bool,
    privileged: bool,
    readOnlyRootFilesystem: bool,
    runAsUser: integer,
    runAsGroup: integer,
    runAsNonRoot: bool,
    procMount: str,
    capabilities: { type: 'object', properties: { add: atomicList(str), drop: atomicList(str) } },
    seccompProfile,
    appArmorProfile: seccompProfile,
    seLinuxOptions: openObject,
    windowsOptions: openObject,
  },
};

const keyRef: SchemaObject = { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { name: str, key: str, optional: bool } };
const nameRef: SchemaObject = { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { name: str, optional: bool } };

const envVar: SchemaObject = {
  type: 'object',
  required: ['name'],
  properties: {
    name: str,
    value: str,
    valueFrom: {
      type: 'object',
      properties: {
        fieldRef: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { apiVersion: str, fieldPath: str } },
        resourceFieldRef: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { containerName: str, resource: str, divisor: quantity } },
        configMapKeyRef: keyRef,
        secretKeyRef: keyRef,
      },
    },
  },
};

const container: SchemaObject = shared('Container', {
  type: 'object',
  description: 'One container of a pod: what to run, with which environment, ports, volumes and probes.',
  required: ['name', 'image'],
  properties: {
    name: describe('Unique within the pod (a DNS label).', str),
    image: describe('The container image; with the process runtime, the executable comes from command.', str),
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    command: describe('The entrypoint (the image\'s ENTRYPOINT when empty).', atomicList(str)),
    args: describe('Arguments to the entrypoint.', atomicList(str)),
    workingDir: str,
    env: describe('Environment variables, merged by name.', keyedList(envVar, ['name'])),
    envFrom: atomicList({ type: 'object', properties: { prefix: str, configMapRef: nameRef, secretRef: nameRef } }),
    ports: describe(
      'Ports the container listens on, merged by containerPort.',
      keyedList(
        {
          type: 'object',
          required: ['containerPort'],
          properties: { name: str, containerPort: portNumber, hostPort: portNumber, hostIP: str, protocol },
        },
        ['containerPort', 'protocol'],
      ),
    ),
    resources: describe('Compute resources: requests (scheduling) and limits.', {
      type: 'object',
      properties: {
        limits: quantityMap,
        requests: quantityMap,
        claims: keyedList({ type: 'object', required: ['name'], properties: { name: str, request: str } }, ['name']),
      },
    }),
    resizePolicy: atomicList({ type: 'object', properties: { resourceName: str, restartPolicy: str } }),
    restartPolicy: { enum: ['Always'] },
    volumeMounts: describe(
      'Volumes of the pod mounted into the container, merged by mountPath.',
      keyedList(
        {
          type: 'object',
          required: ['name', 'mountPath'],
          properties: { name: str, mountPath: str, readOnly: bool, subPath: str, subPathExpr: str, mountPropagation: str, recursiveReadOnly: str },
        },
        ['mountPath'],
      ),
    ),
    volumeDevices: keyedList({ type: 'object', required: ['name', 'devicePath'], properties: { name: str, devicePath: str } }, ['devicePath']),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    lifecycle: { type: 'object', properties: { postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str } },
    terminationMessagePath: str,
    terminationMessagePolicy: { enum: ['File', 'FallbackToLogsOnError'] },
    securityContext: containerSecurityContext,
    stdin: bool,
    stdinOnce: bool,
    tty: bool,
  },
});

const keyToPath: SchemaObject = atomicList({ type: 'object', required: ['key', 'path'], properties: { key: str, path: str, mode: integer } });

const volume: SchemaObject = {
  type: 'object',
  required: ['name'],
  properties: {
    name: str,
    emptyDir: { type: 'object', properties: { medium: str, sizeLimit: quantity } },
    configMap: { type: 'object', properties: { name: str, items: keyToPath, defaultMode: integer, optional: bool } },
    secret: { type: 'object', properties: { secretName: str, items: keyToPath, defaultMode: integer, optional: bool } },
    persistentVolumeClaim: { type: 'object', required: ['claimName'], properties: { claimName: str, readOnly: bool } },
    hostPath: { type: 'object', required: ['path'], properties: { path: str, type: str } },
    projected: openObject,
    downwardAPI: openObject,
    csi: openObject,
    ephemeral: openObject,
    nfs: openObject,
    image: openObject,
  },
};

const nodeSelectorRequirement: SchemaObject = {
  type: 'object',
  required: ['key', 'operator'],
  properties: { key: str, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] }, values: atomicList(str) },
};
const nodeSelectorTerm: SchemaObject = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  properties: { matchExpressions: atomicList(nodeSelectorRequirement), matchFields: atomicList(nodeSelectorRequirement) },
};
const podAffinityTerm: SchemaObject = {
  type: 'object',
  required: ['topologyKey'],
  properties: {
    labelSelector,
    namespaceSelector: labelSelector,
    namespaces: atomicList(str),
    topologyKey: str,
    matchLabelKeys: atomicList(str),
    mismatchLabelKeys: atomicList(str),
  },
};
const podAffinity: SchemaObject = {
  type: 'object',
  properties: {
    requiredDuringSchedulingIgnoredDuringExecution: atomicList(podAffinityTerm),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList({
      type: 'object',
      required: ['weight', 'podAffinityTerm'],
      properties: { weight: integer, podAffinityTerm },
    }),
  },
};
const affinity: SchemaObject = shared('Affinity', {
  type: 'object',
  description: 'Scheduling constraints by node labels and by other pods.',
  properties: {
    nodeAffinity: {
      type: 'object',
      properties: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          type: 'object',
          'x-kubernetes-map-type': 'atomic',
          required: ['nodeSelectorTerms'],
          properties: { nodeSelectorTerms: atomicList(nodeSelectorTerm) },
        },
        preferredDuringSchedulingIgnoredDuringExecution: atomicList({
          type: 'object',
          required: ['weight', 'preference'],
          properties: { weight: integer, preference: nodeSelectorTerm },
        }),
      },
    },
    podAffinity,
    podAntiAffinity: podAffinity,
  },
});

const podSecurityContext: SchemaObject = {
  type: 'object',
  properties: {
    runAsUser: integer,
    runAsGroup: integer,
    runAsNonRoot: bool,
    fsGroup: integer,
    fsGroupChangePolicy: str,
    supplementalGroups: atomicList(integer),
    supplementalGroupsPolicy: str,
    seccompProfile,
    appArmorProfile: seccompProfile,
    seLinuxOptions: openObject,
    seLinuxChangePolicy: str,
    sysctls: atomicList({ type: 'object', required: ['name', 'value'], properties: { name: str, value: str } }),
    windowsOptions: openObject,
  },
};

/** corev1.PodSpec, typed where fedgate reads it and open elsewhere. */
function podSpec(restartPolicies: readonly string[], restartPolicyRequired: boolean): SchemaObject {
  return {
    type: 'object',
    description: 'What a pod runs: its containers, volumes and scheduling constraints.',
    required: restartPolicyRequired ? ['containers', 'restartPolicy'] : ['containers'],
    properties: {
      containers: describe('The containers of the pod, merged by name.', { ...keyedList(container, ['name']), minItems: 1 }),
      initContainers: describe('Containers run to completion, in order, before the others start.', keyedList(container, ['name'])),
      ephemeralContainers: keyedList(openObject, ['name']),
      restartPolicy: describe('When the kubelet restarts containers that exit.', { enum: [...restartPolicies] }),
      nodeSelector: describe('Labels a node must have for the pod to be scheduled there.', stringMap),
      nodeName: describe('The node the pod is bound to (set by the scheduler).', str),
      serviceAccountName: str,
      serviceAccount: str,
      automountServiceAccountToken: bool,
      hostname: str,
      subdomain: str,
      setHostnameAsFQDN: bool,
      hostNetwork: bool,
      hostPID: bool,
      hostIPC: bool,
      hostUsers: bool,
      shareProcessNamespace: bool,
      terminationGracePeriodSeconds: describe('Seconds between SIGTERM and SIGKILL when the pod stops.', nonNegativeInt),
      activeDeadlineSeconds: { type: 'integer', minimum: 1 },
      tolerations: describe('Taints of nodes this pod tolerates.', atomicList(toleration)),
      affinity,
      topologySpreadConstraints: keyedList(
        {
          type: 'object',
          required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
          properties: {
            maxSkew: integer,
            topologyKey: str,
            whenUnsatisfiable: { enum: ['DoNotSchedule', 'ScheduleAnyway'] },
            labelSelector,
            minDomains: integer,
            nodeAffinityPolicy: str,
            nodeTaintsPolicy: str,
            matchLabelKeys: atomicList(str),
          },
        },
        ['topologyKey', 'whenUnsatisfiable'],
      ),
      volumes: describe('Volumes containers can mount, merged by name.', keyedList(volume, ['name'], 'merge,retainKeys')),
      imagePullSecrets: keyedList({ type: 'object', properties: { name: str } }, ['name']),
      hostAliases: keyedList({ type: 'object', required: ['ip'], properties: { ip: str, hostnames: atomicList(str) } }, ['ip']),
      dnsPolicy: { enum: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] },
      dnsConfig: {
        type: 'object',
        properties: {
          nameservers: atomicList(str),
          searches: atomicList(str),
          options: atomicList({ type: 'object', properties: { name: str, value: str } }),
        },
      },
      securityContext: podSecurityContext,
      schedulerName: str,
      priorityClassName: str,
      priority: integer,
      preemptionPolicy: str,
      runtimeClassName: str,
      enableServiceLinks: bool,
      readinessGates: atomicList({ type: 'object', required: ['conditionType'], properties: { conditionType: str } }),
      overhead: quantityMap,
      os: { type: 'object', required: ['name'], properties: { name: str } },
      schedulingGates: keyedList({ type: 'object', required: ['name'], properties: { name: str } }, ['name']),
      resourceClaims: keyedList(openObject, ['name']),
      resources: { type: 'object', properties: { limits: quantityMap, requests: quantityMap } },
    },
  };
}

/** corev1.PodTemplateSpec; Jobs pass their own restart policies (OnFailure, Never; required). */
export function podTemplateSpec(restartPolicies: readonly string[] = ['Always', 'OnFailure', 'Never'], restartPolicyRequired = false): SchemaObject {
  return {
    type: 'object',
    description: 'The pods a workload creates: their metadata (labels) and spec.',
    required: ['spec'],
    properties: {
      metadata: objectMeta,
      spec: podSpec(restartPolicies, restartPolicyRequired),
    },
  };
}

const serviceSpec: SchemaObject = {
  type: 'object',
  description: 'How a Service exposes the pods its selector matches.',
  properties: {
    type: describe('ClusterIP (default), NodePort, LoadBalancer (an external address on the member) or ExternalName.', {
      enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    }),
    selector: describe('Pods with these labels receive the traffic.', { ...stringMap, 'x-kubernetes-map-type': 'atomic' }),
    ports: describe(
      'The ports the Service exposes, merged by port.',
      keyedList(
        {
          type: 'object',
          required: ['port'],
          properties: {
            name: str,
            protocol,
            appProtocol: str,
            port: portNumber,
            targetPort: portOrName,
            nodePort: portNumber,
          },
        },
        ['port', 'protocol'],
      ),
    ),
    clusterIP: describe('The virtual address inside the member (assigned when empty).', str),
    clusterIPs: atomicList(str),
    externalIPs: atomicList(str),
    externalName: str,
    loadBalancerIP: str,
    loadBalancerClass: str,
    loadBalancerSourceRanges: atomicList(str),
    allocateLoadBalancerNodePorts: bool,
    healthCheckNodePort: integer,
    sessionAffinity: { enum: ['ClientIP', 'None'] },
    sessionAffinityConfig: { type: 'object', properties: { clientIP: { type: 'object', properties: { timeoutSeconds: integer } } } },
    externalTrafficPolicy: { enum: ['Cluster', 'Local'] },
    internalTrafficPolicy: { enum: ['Cluster', 'Local'] },
    trafficDistribution: str,
    publishNotReadyAddresses: bool,
    ipFamilies: atomicList({ enum: ['IPv4', 'IPv6'] }),
    ipFamilyPolicy: { enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] },
  },
};

const objectReference: SchemaObject = {
  type: 'object',
  'x-kubernetes-map-type': 'atomic',
  properties: { kind: str, namespace: str, name: str, uid: str, apiVersion: str, resourceVersion: str, fieldPath: str },
};

/** corev1.PersistentVolumeClaimSpec (also the spec of StatefulSet volumeClaimTemplates). */
export const persistentVolumeClaimSpec: SchemaObject = shared('PersistentVolumeClaimSpec', {
  type: 'object',
  description: 'Storage a pod asks for.',
  properties: {
    accessModes: atomicList(str),
    resources: { type: 'object', properties: { requests: quantityMap, limits: quantityMap } },
    storageClassName: str,
    volumeName: str,
    volumeMode: { enum: ['Filesystem', 'Block'] },
    volumeAttributesClassName: str,
    selector: labelSelector,
    dataSource: openObject,
    dataSourceRef: openObject,
  },
});

const endpointAddress: SchemaObject = {
  type: 'object',
  required: ['ip'],
  properties: { ip: str, hostname: str, nodeName: str, targetRef: objectReference },
};

/** Schemas of the core group, by kind. */
export const coreV1Schemas: Readonly<Record<string, SchemaObject>> = {
  Namespace: objectSchema(
    { type: 'object', properties: { finalizers: describe('Must be empty before the namespace is removed.', atomicList(str)) } },
    { description: 'A scope for names; deleting it deletes everything in it.' },
  ),
  ConfigMap: objectSchema(undefined, {
    description: 'Configuration data as key-value pairs.',
    extra: { data: describe('UTF-8 values.', stringMap), binaryData: describe('Base64-encoded values.', bytesMap), immutable: bool },
  }),
  Secret: objectSchema(undefined, {
    description: 'Sensitive data as key-value pairs.',
    extra: {
      data: describe('Base64-encoded values.', bytesMap),
      stringData: describe('Write-only plain values, merged into data.', stringMap),
      type: str,
      immutable: bool,
    },
  }),
  Service: objectSchema(serviceSpec, { description: 'A stable address and DNS name for a set of pods.' }),
  Event: objectSchema(undefined, {
    description: 'A report of something that happened to an object.',
    extra: {
      involvedObject: objectReference,
      reason: str,
      message: str,
      source: { type: 'object', properties: { component: str, host: str } },
      firstTimestamp: str,
      lastTimestamp: str,
      eventTime: str,
      count: integer,
      type: str,
      action: str,
      related: objectReference,
      series: openObject,
      reportingComponent: str,
      reportingInstance: str,
    },
  }),
  Pod: objectSchema(podSpec(['Always', 'OnFailure', 'Never'], false), {
    specRequired: true,
    description: 'A group of containers scheduled together on one node.',
  }),
  Node: objectSchema(
    {
      type: 'object',
      properties: {
        taints: atomicList({ type: 'object', required: ['key', 'effect'], properties: { key: str, value: str, effect: str, timeAdded: str } }),
        unschedulable: bool,
        podCIDR: str,
        podCIDRs: setList(),
        providerID: str,
      },
    },
    { description: 'A machine pods run on.' },
  ),
  Endpoints: objectSchema(undefined, {
    description: 'The ready and not-ready addresses behind a Service.',
    extra: {
      subsets: atomicList({
        type: 'object',
        properties: {
          addresses: atomicList(endpointAddress),
          notReadyAddresses: atomicList(endpointAddress),
          ports: atomicList({ type: 'object', required: ['port'], properties: { name: str, port: integer, protocol, appProtocol: str } }),
        },
      }),
    },
  }),
  PersistentVolumeClaim: objectSchema(persistentVolumeClaimSpec, { description: 'A request for storage.' }),
};
