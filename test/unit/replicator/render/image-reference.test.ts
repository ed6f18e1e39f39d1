import assert from 'node:assert/strict';
import { isInvalid } from '../../../../apimachinery/index.js';
import { formatImageReference, parseImageReference } from '../../../../replicator/render/index.js';

describe('replicator/render/image-reference', () => {
  const cases: [string, ReturnType<typeof parseImageReference>][] = [
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.25', { repository: 'nginx', tag: '1.25' }],
    ['library/nginx:1.25', { repository: 'library/nginx', tag: '1.25' }],
    ['docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['registry:5000/repo/img:tag', { registry: 'registry:5000', repository: 'repo/img', tag: 'tag' }],
    ['registry:5000/repo/img', { registry: 'registry:5000', repository: 'repo/img' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [
      'ghcr.io/org/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      { registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    ],
    ['app@sha256:abcd', { repository: 'app', digest: 'sha256:abcd' }],
  ];
  for (const [image, ref] of cases) {
    it(`splits and rebuilds ${image}`, () => {
      assert.deepEqual(parseImageReference(image), ref);
      assert.equal(formatImageReference(ref), image);
    });
  }

  it('refuses references without a repository', () => {
    for (const bad of ['', ':tag', 'registry.io/', 'app:', 'app@']) assert.throws(() => parseImageReference(bad), isInvalid, bad);
  });
});
