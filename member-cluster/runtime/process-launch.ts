/**
 * How a container process is launched. The exec chain is
 *
 * ```
 * setpriv --pdeathsig KILL -- [unshare --mount --propagation private -- /bin/sh <launcher>] <command> <args>
 * ```
 *
 * - `setpriv --pdeathsig KILL` makes the kernel SIGKILL the container when the member
 *   process dies, even by SIGKILL (the setting survives execve, so it reaches the command).
 *   Processes the command forks do not inherit it; they are caught by the process-group
 *   kill when the container stops and by the leftover sweep of the next member start.
 * - As root, `unshare --mount --propagation private` gives the container its own mount
 *   namespace; the launcher bind-mounts each volume onto its mountPath there (read-only
 *   when asked) and then execs the command, so the pid the member sees is the command's.
 *   Mount points missing on the host are created (empty directories) because a bind mount
 *   needs one; the mounts themselves never leak out of the namespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerMount } from './runtime-types.js';

/** Quotes a string for POSIX sh, so any argument survives the launcher unchanged. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The full path of an executable found on PATH (or given with a slash), if any. */
export function findExecutable(name: string, searchPath = process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'): string | undefined {
  const candidates = name.includes('/') ? [name] : searchPath.split(':').filter(Boolean).map((d) => path.join(d, name));
  for (const c of candidates) {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The launcher script: mount each volume at its mountPath, enter workingDir, exec the command. */
export function launcherScript(mounts: readonly ContainerMount[], argv: readonly string[], workingDir: string | undefined): string {
  const lines = ['#!/bin/sh', 'set -e'];
  for (const m of mounts) {
    const target = shellQuote(m.mountPath);
    lines.push(`mkdir -p ${target}`);
    lines.push(`mount --bind ${shellQuote(m.hostPath)} ${target}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  if (workingDir) lines.push(`mkdir -p ${shellQuote(workingDir)}`, `cd ${shellQuote(workingDir)}`);
  lines.push(`exec ${argv.map(shellQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
