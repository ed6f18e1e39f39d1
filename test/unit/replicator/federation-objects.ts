/** Objects the replicator's tests share. */

/** A PropagationPolicy dividing Deployment shop/web over eu, us and ap by weights 2:1:1. */
export const dividedPolicy = {
  apiVersion: 'policy.fedgate.io/v1alpha1',
  kind: 'PropagationPolicy',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-pp' },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }],
    placement: {
      clusterAffinity: { clusterNames: ['eu', 'us', 'ap'] },
      replicaScheduling: {
        replicaSchedulingType: 'Divided',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['eu'] }, weight: 2 },
            { targetCluster: { clusterNames: ['us'] }, weight: 1 },
            { targetCluster: { clusterNames: ['ap'] }, weight: 1 },
          ],
        },
      },
    },
    failover: { tolerationSeconds: 30 },
  },
};
