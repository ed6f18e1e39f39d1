/**
 * `fedgate kubeconfig`: a kubeconfig for a gateway, printed or written (mode 0600), so
 * kubectl and the other fedgate commands reach it; `--data DIR` gives the one `fedgate up`
 * wrote in its data directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKubeconfig, kubeconfigFor, KUBECONFIG_FILE, readKubeconfig, resolveTarget, writeKubeconfig, type TargetFlags } from '../kubeconfig.js';

/** Flags of `fedgate kubeconfig`. */
export interface KubeconfigFlags extends TargetFlags {
  data?: string;
  output?: string;
  name: string;
  namespace?: string;
  token?: string;
  certificateAuthority?: string;
}

/** The action of `fedgate kubeconfig`. */
export async function kubeconfigCommand(flags: KubeconfigFlags): Promise<void> {
  if (flags.data !== undefined) {
    if (flags.gateway) throw new Error('pass either --data or --gateway, not both');
    const path = join(flags.data, KUBECONFIG_FILE);
    // Read and checked, so a wrong directory is a clear error and not a copied stray file.
    let config;
    try {
      config = readKubeconfig(path);
    } catch (err) {
      throw new Error(`no kubeconfig in ${flags.data} (fedgate up writes ${path}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (flags.output) writeKubeconfig(flags.output, config);
    else process.stdout.write(readFileSync(path, 'utf8'));
    if (flags.output) process.stderr.write(`kubeconfig written to ${flags.output}\n`);
    return;
  }
  const target = resolveTarget(flags);
  if (flags.token) target.token = flags.token;
  if (flags.certificateAuthority) {
    try {
      target.caPem = readFileSync(flags.certificateAuthority, 'utf8');
    } catch (err) {
      throw new Error(`cannot read --certificate-authority ${flags.certificateAuthority}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  const config = kubeconfigFor(target, flags.name, flags.namespace ?? target.namespace);
  if (flags.output) {
    writeKubeconfig(flags.output, config);
    process.stderr.write(`kubeconfig written to ${flags.output} (use it with --kubeconfig ${flags.output} or KUBECONFIG=${flags.output})\n`);
  } else {
    process.stdout.write(formatKubeconfig(config));
  }
}
