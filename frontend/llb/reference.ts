/**
 * Image reference normalization as Docker does it (`busybox` → `docker.io/library/busybox:latest`),
 * so that `docker-image://` identifiers equal the ones Go's client/llb writes.
 */

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

interface ParsedImageRef {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference into domain, path, tag and digest; undefined when it is not valid. */
export function parseImageRef(ref: string): ParsedImageRef | undefined {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first === LEGACY_DOMAIN ? DEFAULT_DOMAIN : first;
      path = rest.slice(slash + 1);
    }
  }
  if (!DOMAIN.test(domain)) return undefined;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  if (path === '' || !path.split('/').every((c) => COMPONENT.test(c))) return undefined;
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * The fully qualified form with `:latest` added when there is neither tag nor digest.
 * An invalid reference is returned unchanged (BuildKit then reports it).
 */
export function normalizeImageRef(ref: string): string {
  const parsed = parseImageRef(ref);
  if (!parsed) return ref;
  let out = `${parsed.domain}/${parsed.path}`;
  if (parsed.tag !== undefined) out += `:${parsed.tag}`;
  if (parsed.digest !== undefined) out += `@${parsed.digest}`;
  if (parsed.tag === undefined && parsed.digest === undefined) out += ':latest';
  return out;
}
