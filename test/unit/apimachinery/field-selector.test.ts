import assert from 'node:assert/strict';
import { isBadRequest, parseFieldSelector, StatusError, type KubeObject } from '../../../apimachinery/index.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { nodeName: 'node-a', priority: 5 },
  status: { phase: 'Running' },
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isBadRequest(err), String(err));
    return (err as StatusError).message;
  }
  assert.fail('expected a BadRequest');
}

describe('field selectors', () => {
  it('matches metadata.name and metadata.namespace with =, == and !=', () => {
    assert.ok(parseFieldSelector('metadata.name=web-1').matches(pod));
    assert.ok(parseFieldSelector('metadata.name==web-1').matches(pod));
    assert.ok(!parseFieldSelector('metadata.name=web-2').matches(pod));
    assert.ok(parseFieldSelector('metadata.name!=web-2').matches(pod));
    assert.ok(!parseFieldSelector('metadata.namespace!=shop').matches(pod));
    assert.ok(parseFieldSelector('metadata.name=web-1,metadata.namespace=shop').matches(pod));
    assert.ok(!parseFieldSelector('metadata.name=web-1,metadata.namespace=other').matches(pod));
  });

  it('selects everything when empty', () => {
    const sel = parseFieldSelector('');
    assert.ok(sel.isEmpty());
    assert.ok(sel.matches(pod));
    assert.equal(sel.toString(), '');
  });

  it('reads extra supported paths from the object; a missing field is the empty string', () => {
    const supported = ['spec.nodeName', 'status.phase', 'spec.priority', 'spec.missing'];
    assert.ok(parseFieldSelector('spec.nodeName=node-a,status.phase=Running', supported).matches(pod));
    assert.ok(parseFieldSelector('spec.priority=5', supported).matches(pod));
    assert.ok(parseFieldSelector('spec.missing=', supported).matches(pod));
    assert.ok(!parseFieldSelector('spec.missing!=', supported).matches(pod));
  });

  it('rejects unsupported fields like Kubernetes', () => {
    assert.equal(message(() => parseFieldSelector('spec.nodeName=a')), 'field label not supported: spec.nodeName');
    assert.equal(message(() => parseFieldSelector('metadata.labels=a')), 'field label not supported: metadata.labels');
  });

  it('rejects terms without an operator and bad escapes', () => {
    assert.match(message(() => parseFieldSelector('metadata.name')), /can't understand 'metadata.name'/);
    assert.match(message(() => parseFieldSelector('metadata.name=a=b')), /unescaped character '='/);
    assert.match(message(() => parseFieldSelector('metadata.name=a\\x')), /invalid escape sequence/);
  });

  it('unescapes values and prints a canonical, re-parseable form', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a,b=c\\d' } };
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    assert.ok(sel.matches(obj));
    assert.equal(sel.toString(), 'metadata.name=a\\,b\\=c\\\\d');
    const sorted = parseFieldSelector('metadata.namespace=x,metadata.name==y');
    assert.equal(sorted.toString(), 'metadata.name=y,metadata.namespace=x');
    assert.equal(parseFieldSelector(sorted.toString()).toString(), sorted.toString());
  });

  it('requiresExactMatch finds a pinned field', () => {
    const sel = parseFieldSelector('metadata.name=web,metadata.namespace!=x');
    assert.equal(sel.requiresExactMatch('metadata.name'), 'web');
    assert.equal(sel.requiresExactMatch('metadata.namespace'), undefined);
  });
});
