/**
 * The flags that pick the gateway a command talks to, the same on every such command:
 * `--gateway URL`, `--kubeconfig FILE`, `--context NAME` (resolved by `resolveTarget`).
 */
import type { Command } from 'commander';

/** Adds `--gateway`, `--kubeconfig` and `--context` to `cmd`. */
export function withTargetFlags(cmd: Command): Command {
  return cmd
    .option('--gateway <url>', 'REST API base of the gateway (wins over --kubeconfig and $KUBECONFIG; default http://127.0.0.1:6443)')
    .option('--kubeconfig <file>', 'kubeconfig file to find the gateway in (default: $KUBECONFIG)')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)');
}

/** The namespace of a command: `-n`, else the kubeconfig context's, else `default`. */
export function namespaceOf(flagNamespace: string | undefined, target: { namespace?: string }): string {
  return flagNamespace || target.namespace || 'default';
}
