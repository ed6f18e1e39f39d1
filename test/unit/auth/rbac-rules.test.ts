import assert from 'node:assert/strict';
import type { AuthzAttributes, PolicyRule } from '../../../apimachinery/index.js';
import { breakdownRule, nonResourceURLMatches, resourceMatches, ruleAllows, rulesCover } from '../../../auth/index.js';

const user = { username: 'u', groups: [] };

function res(verb: string, apiGroup: string, resource: string, extra: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return { user, verb, resourceRequest: true, apiGroup, apiVersion: 'v1', resource, ...extra };
}

function path(verb: string, p: string): AuthzAttributes {
  return { user, verb, resourceRequest: false, path: p };
}

describe('auth/rbac-rules', () => {
  it('verbs and apiGroups match exactly or by *', () => {
    const rule: PolicyRule = { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] };
    assert.equal(ruleAllows(res('get', 'apps', 'deployments', { name: 'web' }), rule), true);
    assert.equal(ruleAllows(res('list', 'apps', 'deployments'), rule), true);
    assert.equal(ruleAllows(res('delete', 'apps', 'deployments', { name: 'web' }), rule), false);
    assert.equal(ruleAllows(res('get', '', 'deployments', { name: 'web' }), rule), false, 'core is not apps');
    assert.equal(ruleAllows(res('get', 'extensions', 'deployments', { name: 'web' }), rule), false);
    const any: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['jobs'] };
    for (const verb of ['get', 'create', 'deletecollection', 'escalate']) assert.equal(ruleAllows(res(verb, 'batch', 'jobs'), any), true, verb);
    assert.equal(ruleAllows(res('get', 'batch', 'cronjobs'), any), false);
  });

  it('resources: *, resource/subresource and */subresource — and nothing else — match subresources', () => {
    const status = res('get', 'apps', 'deployments', { name: 'web', subresource: 'status' });
    const main = res('get', 'apps', 'deployments', { name: 'web' });
    const rule = (resources: string[]): PolicyRule => ({ verbs: ['get'], apiGroups: ['apps'], resources });
    assert.equal(ruleAllows(status, rule(['*'])), true, '* covers subresources');
    assert.equal(ruleAllows(main, rule(['*'])), true);
    assert.equal(ruleAllows(status, rule(['deployments/status'])), true);
    assert.equal(ruleAllows(main, rule(['deployments/status'])), false, 'a subresource rule does not grant the object');
    assert.equal(ruleAllows(status, rule(['deployments'])), false, 'the object rule does not grant its subresources');
    assert.equal(ruleAllows(status, rule(['*/status'])), true);
    assert.equal(ruleAllows(res('get', 'apps', 'replicasets', { name: 'r', subresource: 'status' }), rule(['*/status'])), true);
    assert.equal(ruleAllows(status, rule(['*/scale'])), false);
    assert.equal(ruleAllows(main, rule(['*/status'])), false, '*/status needs a subresource');
    // Kubernetes has no "resource/*" wildcard: it matches only a subresource literally named "*".
    assert.equal(ruleAllows(status, rule(['deployments/*'])), false);
    assert.equal(resourceMatches(rule(['deployments/*']), 'deployments/*', '*'), true);
    // "*/status" must be the whole rule entry, not a suffix trick.
    assert.equal(resourceMatches(rule(['x*/status']), 'deployments/status', 'status'), false);
  });

  it('resourceNames allow only requests naming one of them (no list, watch or create without a name)', () => {
    const rule: PolicyRule = { verbs: ['get', 'list', 'watch', 'create', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'] };
    assert.equal(ruleAllows(res('get', '', 'configmaps', { name: 'app-config', namespace: 'shop' }), rule), true);
    assert.equal(ruleAllows(res('update', '', 'configmaps', { name: 'app-config', namespace: 'shop' }), rule), true);
    assert.equal(ruleAllows(res('get', '', 'configmaps', { name: 'other', namespace: 'shop' }), rule), false);
    assert.equal(ruleAllows(res('list', '', 'configmaps', { namespace: 'shop' }), rule), false);
    assert.equal(ruleAllows(res('watch', '', 'configmaps', { namespace: 'shop' }), rule), false);
    assert.equal(ruleAllows(res('create', '', 'configmaps', { namespace: 'shop' }), rule), false);
    // A watch pinned to the name by fieldSelector carries the name and is allowed.
    assert.equal(ruleAllows(res('watch', '', 'configmaps', { namespace: 'shop', name: 'app-config' }), rule), true);
  });

  it('nonResourceURLs: exact, *, and a trailing * as a prefix', () => {
    const rule: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/metrics', '/logs/*', '/apis*'] };
    assert.equal(ruleAllows(path('get', '/metrics'), rule), true);
    assert.equal(ruleAllows(path('get', '/metrics/x'), rule), false);
    assert.equal(ruleAllows(path('get', '/logs/a/b'), rule), true);
    assert.equal(ruleAllows(path('get', '/logs/'), rule), true);
    assert.equal(ruleAllows(path('get', '/logs'), rule), false);
    assert.equal(ruleAllows(path('get', '/apis/apps/v1'), rule), true);
    assert.equal(ruleAllows(path('get', '/apisx'), rule), true, '/apis* is a plain prefix');
    assert.equal(ruleAllows(path('post', '/metrics'), rule), false);
    assert.equal(nonResourceURLMatches({ verbs: ['*'], nonResourceURLs: ['*'] }, '/anything'), true);
  });

  it('resource rules never allow non-resource requests and vice versa', () => {
    const everything: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
    assert.equal(ruleAllows(path('get', '/healthz'), everything), false);
    const urls: PolicyRule = { verbs: ['*'], nonResourceURLs: ['*'] };
    assert.equal(ruleAllows(res('get', '', 'pods', { name: 'p' }), urls), false);
  });

  it('a malformed stored rule allows nothing instead of throwing', () => {
    const bad = { verbs: 'get', apiGroups: 'apps', resources: 'deployments' } as unknown as PolicyRule;
    assert.equal(ruleAllows(res('get', 'apps', 'deployments'), bad), false);
    assert.equal(ruleAllows(res('get', 'apps', 'deployments'), {} as PolicyRule), false);
  });

  describe('coverage (reconciliation, escalation checks)', () => {
    it('breaks a rule down into one rule per group, resource, verb and name', () => {
      const parts = breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'apps'], resources: ['a'], resourceNames: ['x', 'y'] });
      assert.equal(parts.length, 8);
      assert.deepEqual(parts[0], { apiGroups: [''], resources: ['a'], verbs: ['get'], resourceNames: ['x'] });
      assert.deepEqual(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] }), [
        { nonResourceURLs: ['/a'], verbs: ['get'] },
        { nonResourceURLs: ['/b'], verbs: ['get'] },
      ]);
    });

    it('reports exactly the uncovered pieces', () => {
      const owner: PolicyRule[] = [
        { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', '*/status'] },
        { verbs: ['*'], nonResourceURLs: ['/apis/*'] },
      ];
      assert.deepEqual(rulesCover(owner, [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments', 'replicasets/status'] }]), { covered: true, missing: [] });
      assert.deepEqual(rulesCover(owner, [{ verbs: ['get', 'delete'], apiGroups: ['apps'], resources: ['deployments'] }]).missing, [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete'] },
      ]);
      assert.equal(rulesCover(owner, [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }]).covered, true);
      assert.equal(rulesCover(owner, [{ verbs: ['get'], nonResourceURLs: ['/api'] }]).covered, false);
      // A named rule is covered by an unnamed one, not the other way round.
      const named: PolicyRule = { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] };
      assert.equal(rulesCover(owner, [named]).covered, true);
      assert.equal(rulesCover([named], [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }]).covered, false);
      assert.equal(rulesCover([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: ['x'], resources: ['y/z'] }]).covered, true);
    });
  });
});
