/**
 * Container image references, split the way the distribution reference grammar does
 * (github.com/distribution/reference `normalize.go`): `[registry/]repository[:tag][@digest]`.
 * The first path component is a registry only when it looks like a host — it contains a
 * `.` or a `:` (a port) or is `localhost` — so `registry:5000/team/app:1.2` keeps its port
 * and `team/app` has no registry.
 */
import { StatusError, StatusReason } from '../../apimachinery/index.js';

/** An image reference in parts. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `image` into registry, repository, tag and digest; Invalid when there is no repository. */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  // A tag follows the last ':' of the last path component (ports were taken with the registry).
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (rest === '' || (digest !== undefined && digest === '') || (tag !== undefined && tag === '')) {
    throw new StatusError(StatusReason.Invalid, `image ${JSON.stringify(image)} is not a valid image reference`);
  }
  const out: ImageReference = { repository: rest };
  if (registry !== undefined) out.registry = registry;
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** The reference back as a string. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
