/**
 * Images the kube steps use for their own pods. Defaults are the lab's
 * locally built images (lab/images/recipes); on another cluster point them at
 * images it can pull, e.g. KUBEPROOF_PROBE_IMAGE=nicolaka/netshoot:v0.13
 * (needs sh, curl, nc, getent) and KUBEPROOF_NODE_IMAGE=node:24-slim.
 */
export interface ImageSet {
  probe: string;
  node: string;
  pullPolicy: string;
}

export function images(env: Record<string, string | undefined> = process.env): ImageSet {
  return {
    probe: env.KUBEPROOF_PROBE_IMAGE || 'kubeproof.local/probe:bookworm-1',
    node: env.KUBEPROOF_NODE_IMAGE || 'kubeproof.local/node:24.21.0',
    pullPolicy: env.KUBEPROOF_IMAGE_PULL_POLICY || 'IfNotPresent',
  };
}
