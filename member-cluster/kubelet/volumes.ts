/**
 * Pod volumes as directories: emptyDir, configMap and secret under the pod directory,
 * persistentVolumeClaim under `<dataDir>/pvc/<namespace>/<claimName>` (it outlives the
 * pod), hostPath as the host path itself. configMap and secret volumes are written once
 * when the pod starts (not refreshed later) and are always mounted read-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Container, Pod, Volume } from '../api-types.js';
import { ContainerStartError, podVolumeDir, pvcDir, type ContainerMount } from '../runtime/index.js';
import { configMapEntries, secretEntries, type ConfigLookup } from './container-env.js';

/** A volume made ready: where its data is, and whether it must be read-only. */
export interface PreparedVolume {
  hostPath: string;
  readOnly: boolean;
}

/** Where prepareVolumes puts things. */
export interface VolumePaths {
  dataDir: string;
  podDir: string;
}

function configError(message: string): ContainerStartError {
  return new ContainerStartError('CreateContainerConfigError', message);
}

/** A relative file path inside a volume; refuses absolute paths and `..`. */
function safeRelative(p: string): string {
  const norm = path.posix.normalize(p);
  if (p === '' || path.posix.isAbsolute(p) || norm === '..' || norm.startsWith('../')) {
    throw configError(`volume item path "${p}" must be relative and may not contain '..'`);
  }
  return norm;
}

/**
 * The files of a configMap or secret volume: every key as a file, or only `items`
 * (key → path) when given. A missing item key fails unless the source is optional.
 */
export function projectedFiles(
  entries: readonly [string, string][],
  items: readonly { key: string; path: string }[] | undefined,
  optional: boolean,
  what: string,
): Map<string, string> {
  const files = new Map<string, string>();
  if (!items || items.length === 0) {
    for (const [k, v] of entries) files.set(safeRelative(k), v);
    return files;
  }
  const byKey = new Map(entries);
  for (const item of items) {
    const value = byKey.get(item.key);
    if (value === undefined) {
      if (optional) continue;
      throw configError(`couldn't find key ${item.key} in ${what}`);
    }
    files.set(safeRelative(item.path), value);
  }
  return files;
}

function writeFiles(dir: string, files: Map<string, string>, mode: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of files) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
  }
}

function prepareOne(pod: Readonly<Pod>, v: Readonly<Volume>, paths: VolumePaths, lookup: ConfigLookup): PreparedVolume {
  const ns = pod.metadata.namespace ?? 'default';
  const local = podVolumeDir(paths.podDir, v.name);
  if (v.emptyDir) {
    fs.mkdirSync(local, { recursive: true });
    return { hostPath: local, readOnly: false };
  }
  if (v.configMap) {
    const src = v.configMap;
    const cm = lookup.configMap(ns, src.name);
    if (!cm && !src.optional) throw configError(`configmap "${src.name}" not found`);
    writeFiles(local, projectedFiles(cm ? configMapEntries(cm) : [], src.items, src.optional ?? false, `ConfigMap ${ns}/${src.name}`), 0o644);
    return { hostPath: local, readOnly: true };
  }
  if (v.secret) {
    const src = v.secret;
    const secret = lookup.secret(ns, src.secretName);
    if (!secret && !src.optional) throw configError(`secret "${src.secretName}" not found`);
    writeFiles(local, projectedFiles(secret ? secretEntries(secret) : [], src.items, src.optional ?? false, `Secret ${ns}/${src.secretName}`), 0o600);
    return { hostPath: local, readOnly: true };
  }
  if (v.persistentVolumeClaim) {
    const dir = pvcDir(paths.dataDir, ns, v.persistentVolumeClaim.claimName);
    fs.mkdirSync(dir, { recursive: true });
    return { hostPath: dir, readOnly: v.persistentVolumeClaim.readOnly ?? false };
  }
  if (v.hostPath) return { hostPath: v.hostPath.path, readOnly: false };
  throw new ContainerStartError('CreateContainerError', `volume "${v.name}" has no supported source (emptyDir, configMap, secret, persistentVolumeClaim, hostPath)`);
}

/** Makes every volume of a pod ready on disk; ContainerStartError when one cannot be. */
export function prepareVolumes(pod: Readonly<Pod>, paths: VolumePaths, lookup: ConfigLookup): Map<string, PreparedVolume> {
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec.volumes ?? []) out.set(v.name, prepareOne(pod, v, paths, lookup));
  return out;
}

/** The mounts of one container over prepared volumes (subPath directories created). */
export function containerMounts(container: Readonly<Container>, volumes: ReadonlyMap<string, PreparedVolume>): ContainerMount[] {
  return (container.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new ContainerStartError('CreateContainerConfigError', `volumeMount "${m.name}" names no volume of the pod`);
    let hostPath = v.hostPath;
    if (m.subPath) {
      hostPath = path.join(v.hostPath, safeRelative(m.subPath));
      if (!fs.existsSync(hostPath)) fs.mkdirSync(hostPath, { recursive: true });
    }
    return { volume: m.name, hostPath, mountPath: m.mountPath, readOnly: v.readOnly || (m.readOnly ?? false) };
  });
}
