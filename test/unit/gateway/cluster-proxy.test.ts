import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { ResourceRegistry, StatusError, type Cluster } from '../../../apimachinery/index.js';
import { requestAttributes } from '../../../auth/index.js';
import { aggregatedDiscovery, apiResourceList } from '../../../gateway/discovery.js';
import { MemberAgents } from '../../../gateway/cluster-proxy.js';
import {
  BadGatewayError,
  checkMemberApiIdentity,
  memberApiCommonName,
  parseClusterProxyPath,
  proxyTarget,
  proxyVerbOf,
} from '../../../gateway/index.js';
import { GatewayPki } from '../../../replicator/pki/index.js';
import { RbacFixture, subject, user } from '../auth/rbac-fixture.js';

const registry = new ResourceRegistry();
const clusters = registry.byResource('cluster.fedgate.io', 'v1alpha1', 'clusters')!;
const BASE = '/apis/cluster.fedgate.io/v1alpha1/clusters';

function cluster(spec: Cluster['spec']): Cluster {
  return { apiVersion: 'cluster.fedgate.io/v1alpha1', kind: 'Cluster', metadata: { name: 'eu-west' }, spec };
}

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, String(err));
    return { code: err.code, reason: err.reason, message: err.message };
  }
  throw new Error('did not throw');
}

/** The fields of a PeerCertificate that the identity check reads, from a real certificate. */
function peerOf(pem: string): PeerCertificate {
  const cert = new X509Certificate(pem);
  const subject: Record<string, string> = {};
  for (const line of cert.subject.split('\n')) subject[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  return { subject, subjectaltname: cert.subjectAltName } as unknown as PeerCertificate;
}

describe('gateway/cluster-proxy', () => {
  it('parses proxy paths: the cluster, and the path to forward', () => {
    assert.deepEqual(parseClusterProxyPath(`${BASE}/eu-west/proxy/api/v1/namespaces/default/pods/web/log`, clusters), {
      cluster: 'eu-west',
      path: '/api/v1/namespaces/default/pods/web/log',
    });
    assert.deepEqual(parseClusterProxyPath(`${BASE}/eu-west/proxy`, clusters), { cluster: 'eu-west', path: '/' });
    assert.deepEqual(parseClusterProxyPath(`${BASE}/eu-west/proxy/`, clusters), { cluster: 'eu-west', path: '/' });
    assert.deepEqual(parseClusterProxyPath(`${BASE}/eu%2Dwest/proxy/healthz`, clusters), { cluster: 'eu-west', path: '/healthz' });
    for (const other of [`${BASE}/eu-west`, `${BASE}/eu-west/status`, `${BASE}/eu-west/proxying`, `${BASE}`, `${BASE}//proxy/x`, '/api/v1/nodes/n/proxy/x', `${BASE}/%E0%A4%A/proxy`]) {
      assert.equal(parseClusterProxyPath(other, clusters), undefined, other);
    }
  });

  it('takes the verb from the method, as Kubernetes authorizes nodes/proxy', () => {
    assert.deepEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(proxyVerbOf), ['get', 'get', 'create', 'update', 'patch', 'delete', 'options']);
    const alice = user('alice');
    for (const [method, verb] of [['GET', 'get'], ['POST', 'create'], ['PUT', 'update'], ['PATCH', 'patch'], ['DELETE', 'delete']] as const) {
      const attrs = requestAttributes(method, `${BASE}/eu-west/proxy/api/v1/namespaces/default/pods`, { watch: 'true' }, alice);
      assert.deepEqual(
        [attrs.verb, attrs.apiGroup, attrs.resource, attrs.subresource, attrs.name, attrs.namespace],
        [verb, 'cluster.fedgate.io', 'clusters', 'proxy', 'eu-west', undefined],
        method,
      );
    }
  });

  it('answers 503 for a cluster without a usable endpoint or CA bundle, 502 for a CA bundle that is not one', () => {
    assert.deepEqual(statusOf(() => proxyTarget(cluster({}))), {
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'cluster "eu-west" has no API endpoint: its member reported none (Cluster spec.apiEndpoint)',
    });
    assert.match(statusOf(() => proxyTarget(cluster({ apiEndpoint: 'nope' }))).message, /is not a URL/);
    assert.match(statusOf(() => proxyTarget(cluster({ apiEndpoint: 'ftp://h:1' }))).message, /not http:\/\/ or https:\/\//);
    const noCa = statusOf(() => proxyTarget(cluster({ apiEndpoint: 'https://127.0.0.1:10443' })));
    assert.equal(noCa.code, 503);
    assert.match(noCa.message, /has no CA bundle to verify its API at https:\/\/127\.0\.0\.1:10443 with/);
    const bad = statusOf(() => proxyTarget(cluster({ apiEndpoint: 'https://127.0.0.1:10443', apiCABundle: Buffer.from('garbage').toString('base64') })));
    assert.deepEqual([bad.code, bad.reason], [502, 'InternalError']);
    assert.equal(new BadGatewayError('x').toStatus().code, 502);
    assert.deepEqual(proxyTarget(cluster({ apiEndpoint: 'http://127.0.0.1:10443' })), { url: new URL('http://127.0.0.1:10443') });
  });

  describe('with a member PKI', () => {
    let dir: string;
    let member: GatewayPki;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedgate-cluster-proxy-'));
      member = await GatewayPki.loadOrCreate(dir, { dir: path.join(dir, 'api-pki'), hosts: ['127.0.0.1'], serverCommonName: memberApiCommonName('eu-west') });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('dials an https endpoint with the Cluster CA bundle', () => {
      const target = proxyTarget(cluster({ apiEndpoint: 'https://127.0.0.1:10443/', apiCABundle: Buffer.from(member.caPem).toString('base64') }));
      assert.equal(target.caPem, member.caPem);
      assert.equal(target.url.origin, 'https://127.0.0.1:10443');
    });

    it("accepts only the cluster's own API certificate, on a host it names", () => {
      const peer = peerOf(member.serverCertPem);
      assert.equal(checkMemberApiIdentity('eu-west', '127.0.0.1', peer), undefined);
      assert.match(String(checkMemberApiIdentity('us-east', '127.0.0.1', peer)), /is for "fedgate-member-api:eu-west", not the API of cluster "us-east"/);
      assert.match(String(checkMemberApiIdentity('eu-west', '10.0.0.9', peer)), /IP: 10\.0\.0\.9 is not in the cert's list/);
    });
  });

  it('keeps one connection pool per cluster, and a new one when the endpoint, CA or client certificate changes', () => {
    const agents = new MemberAgents();
    const url = new URL('https://127.0.0.1:10443');
    const a = agents.agentFor('a', url, 'CA', 'CERT');
    assert.equal(agents.agentFor('a', url, 'CA', 'CERT'), a, 'reused');
    assert.notEqual(agents.agentFor('b', url, 'CA', 'CERT'), a, 'never shared with another cluster, even for the same endpoint and CA');
    const renewed = agents.agentFor('a', url, 'CA', 'RENEWED');
    assert.notEqual(renewed, a);
    assert.notEqual(agents.agentFor('a', url, 'ROTATED', 'RENEWED'), renewed);
    assert.notEqual(agents.agentFor('a', new URL('https://127.0.0.1:10444'), 'ROTATED', 'RENEWED'), renewed);
    assert.equal(agents.size, 2);
    agents.forget('a');
    assert.equal(agents.size, 1);
  });

  it('lists clusters/proxy in discovery when the gateway proxies, with the proxy verbs', () => {
    const list = apiResourceList(registry, 'cluster.fedgate.io', 'v1alpha1', { podLogs: false, clusterProxy: true }) as { resources: { name: string; verbs: string[] }[] };
    assert.deepEqual(list.resources.find((r) => r.name === 'clusters/proxy')?.verbs, ['create', 'delete', 'get', 'patch', 'update']);
    const without = apiResourceList(registry, 'cluster.fedgate.io', 'v1alpha1', { podLogs: false }) as { resources: { name: string }[] };
    assert.equal(without.resources.some((r) => r.name === 'clusters/proxy'), false);
    const aggregated = JSON.stringify(aggregatedDiscovery(registry, 'groups', 'v2', { podLogs: false, clusterProxy: true }));
    assert.match(aggregated, /"subresource":"proxy"/);
  });

  describe('authorization with the bootstrap roles', () => {
    let f: RbacFixture;
    beforeEach(async () => {
      f = await new RbacFixture().start();
    });
    afterEach(async () => f.stop());

    it('cluster-admin may proxy to any cluster; admin, edit and view bound cluster-wide may not', async () => {
      await f.create(f.clusterRoleBinding('alice-admin', 'admin', [subject.user('alice')]));
      await f.create(f.clusterRoleBinding('bob-edit', 'edit', [subject.user('bob')]));
      await f.create(f.clusterRoleBinding('carol-view', 'view', [subject.user('carol')]));
      const can = (u: ReturnType<typeof user>, method: string): boolean =>
        f.authorizer.authorize(requestAttributes(method, `${BASE}/eu-west/proxy/api/v1/namespaces/default/pods/web/log`, undefined, u)).allowed;
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        assert.equal(can(user('root', 'system:masters'), method), true, `system:masters ${method}`);
        for (const who of ['alice', 'bob', 'carol']) assert.equal(can(user(who), method), false, `${who} ${method}`);
      }
      // A role naming the subresource and one cluster grants exactly that.
      await f.create(f.clusterRole('eu-west-logs', [{ verbs: ['get'], apiGroups: ['cluster.fedgate.io'], resources: ['clusters/proxy'], resourceNames: ['eu-west'] }]));
      await f.create(f.clusterRoleBinding('dave-logs', 'eu-west-logs', [subject.user('dave')]));
      assert.equal(can(user('dave'), 'GET'), true);
      assert.equal(can(user('dave'), 'POST'), false);
      assert.equal(f.authorizer.authorize(requestAttributes('GET', `${BASE}/us-east/proxy/api/v1/pods`, undefined, user('dave'))).allowed, false);
    });
  });
});
