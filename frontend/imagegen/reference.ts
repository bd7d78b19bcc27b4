/**
 * Docker image references: normalisation the way Docker's distribution/reference does it
 * (`busybox` → `docker.io/library/busybox:latest`), and pinning by digest.
 */

export interface ImageReference {
  /** Registry host, e.g. `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_DOMAIN = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Parses a reference; returns an error message for an invalid one. */
export function parseReference(text: string): ImageReference | { error: string } {
  if (text === '') return { error: 'empty image reference' };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { error: `invalid digest \`${digest}\` in image reference \`${text}\`` };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `invalid tag \`${tag}\` in image reference \`${text}\`` };
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(firstSlash + 1);
    }
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (path === '' || !path.split('/').every((c) => PATH_COMPONENT.test(c))) {
    return { error: `invalid image reference \`${text}\`: repository names are lower-case letters, digits and separators` };
  }
  const ref: ImageReference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The fully qualified name with a tag (`latest` when neither tag nor digest is given). */
export function formatReference(ref: ImageReference): string {
  let out = `${ref.domain}/${ref.path}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  else if (ref.digest === undefined) out += ':latest';
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The reference pinned to a resolved digest: `name:tag@sha256:...` (a digest already given wins). */
export function pinReference(ref: ImageReference, digest: string | undefined): ImageReference {
  if (!digest || ref.digest) return ref;
  return { ...ref, digest };
}

/** The short form users write: `busybox`, `localhost:5000/team/base:1`. */
export function familiarName(ref: ImageReference): string {
  let name = ref.domain === DEFAULT_DOMAIN ? ref.path.replace(/^library\//, '') : `${ref.domain}/${ref.path}`;
  if (ref.tag !== undefined) name += `:${ref.tag}`;
  if (ref.digest !== undefined) name += `@${ref.digest}`;
  return name;
}
