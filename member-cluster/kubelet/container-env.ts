/**
 * A container's environment, resolved as the Kubernetes kubelet does: the pod's identity
 * variables first (`POD_IP`, `POD_NAME`, `POD_NAMESPACE`, `NODE_NAME`, `HOSTNAME`), then
 * `envFrom` sources in order, then `env` (later entries win); `$(VAR)` references in
 * values, command and args expand against what is defined so far (`$$(VAR)` escapes).
 */
import type { ConfigMap, Container, EnvVar, Pod, Secret } from '../api-types.js';
import { ContainerStartError } from '../runtime/index.js';

/** Reads ConfigMaps and Secrets (the kubelet serves them from its informers). */
export interface ConfigLookup {
  configMap(namespace: string, name: string): Readonly<ConfigMap> | undefined;
  secret(namespace: string, name: string): Readonly<Secret> | undefined;
}

/** What a pod's environment needs that is not in its spec. */
export interface PodEnvContext {
  podIP: string;
  hostIP: string;
  nodeName: string;
}

/** A C identifier-like name, as environment variable names must be for `envFrom`. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The decoded value of a Secret key (data is base64; stringData is plain and wins). */
export function secretValue(secret: Readonly<Secret>, key: string): string | undefined {
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const b64 = secret.data?.[key];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

/** Every decoded key of a Secret. */
export function secretEntries(secret: Readonly<Secret>): [string, string][] {
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  return [...keys].map((k) => [k, secretValue(secret, k)!]);
}

/** Every key of a ConfigMap (binaryData decoded as UTF-8). */
export function configMapEntries(cm: Readonly<ConfigMap>): [string, string][] {
  const out: [string, string][] = Object.entries(cm.data ?? {});
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.push([k, Buffer.from(v, 'base64').toString('utf8')]);
  return out;
}

/** Expands `$(VAR)` from `env`; unknown references stay as written; `$$` is a literal `$`. */
export function expandVars(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return '$';
    return Object.hasOwn(env, name) ? env[name]! : match;
  });
}

function configError(message: string): ContainerStartError {
  return new ContainerStartError('CreateContainerConfigError', message);
}

/** Reads `metadata.name`, `status.podIP`, `metadata.labels['x']` ... of a pod. */
export function podFieldValue(pod: Readonly<Pod>, fieldPath: string, ctx: PodEnvContext): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'status.podIP':
      return ctx.podIP;
    case 'status.hostIP':
      return ctx.hostIP;
    case 'spec.nodeName':
      return ctx.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    default:
      throw configError(`unsupported fieldRef fieldPath "${fieldPath}"`);
  }
}

function envVarValue(v: EnvVar, pod: Readonly<Pod>, lookup: ConfigLookup, ctx: PodEnvContext, env: Record<string, string>): string | undefined {
  if (v.valueFrom === undefined) return expandVars(v.value ?? '', env);
  const ns = pod.metadata.namespace ?? 'default';
  const { configMapKeyRef: cmRef, secretKeyRef: secRef, fieldRef } = v.valueFrom;
  if (cmRef) {
    const cm = lookup.configMap(ns, cmRef.name);
    const value = cm ? configMapEntries(cm).find(([k]) => k === cmRef.key)?.[1] : undefined;
    if (value !== undefined || cmRef.optional) return value;
    throw configError(cm ? `couldn't find key ${cmRef.key} in ConfigMap ${ns}/${cmRef.name}` : `configmap "${cmRef.name}" not found`);
  }
  if (secRef) {
    const secret = lookup.secret(ns, secRef.name);
    const value = secret ? secretValue(secret, secRef.key) : undefined;
    if (value !== undefined || secRef.optional) return value;
    throw configError(secret ? `couldn't find key ${secRef.key} in Secret ${ns}/${secRef.name}` : `secret "${secRef.name}" not found`);
  }
  if (fieldRef) return podFieldValue(pod, fieldRef.fieldPath, ctx);
  return '';
}

/**
 * The environment of one container. Throws ContainerStartError(CreateContainerConfigError)
 * when a referenced ConfigMap, Secret or key is missing and not optional.
 */
export function resolveContainerEnv(pod: Readonly<Pod>, container: Readonly<Container>, lookup: ConfigLookup, ctx: PodEnvContext): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {
    POD_IP: ctx.podIP,
    POD_NAME: pod.metadata.name ?? '',
    POD_NAMESPACE: ns,
    NODE_NAME: ctx.nodeName,
    HOSTNAME: pod.spec.hostname ?? pod.metadata.name ?? '',
  };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: [string, string][] | undefined;
    if (from.configMapRef) {
      const cm = lookup.configMap(ns, from.configMapRef.name);
      if (!cm && !from.configMapRef.optional) throw configError(`configmap "${from.configMapRef.name}" not found`);
      entries = cm ? configMapEntries(cm) : [];
    } else if (from.secretRef) {
      const secret = lookup.secret(ns, from.secretRef.name);
      if (!secret && !from.secretRef.optional) throw configError(`secret "${from.secretRef.name}" not found`);
      entries = secret ? secretEntries(secret) : [];
    }
    for (const [k, v] of entries ?? []) if (ENV_NAME.test(prefix + k)) env[prefix + k] = v;
  }
  for (const v of container.env ?? []) {
    const value = envVarValue(v, pod, lookup, ctx, env);
    if (value !== undefined) env[v.name] = value;
  }
  return env;
}

/** `command` + `args` with `$(VAR)` expanded: what the runtime executes. */
export function containerArgv(container: Readonly<Container>, env: Readonly<Record<string, string>>): string[] {
  return [...(container.command ?? []), ...(container.args ?? [])].map((a) => expandVars(a, env));
}
