/**
 * Named contexts (`docker buildx build --build-context NAME=VALUE`, options `context:NAME` and
 * `context:NAME::PLATFORM`): a `from("NAME")` uses the context instead of pulling NAME. What a
 * context is: another image (`docker-image://REF`) or a directory of the client (`local:NAME`,
 * how buildx sends a path), whose files become an image on scratch.
 */
import { FrontendError } from '../gateway';
import { normalizeImageRef } from '../llb';
import type { Platform } from '../llb/types';
import { formatPlatform } from '../llb/platform';

export type NamedContext =
  | { kind: 'image'; name: string; ref: string }
  | { kind: 'local'; name: string; localName: string; sharedKey: string };

/**
 * The context a `from` reference names, if any: looked up as written, then in its short form
 * (`alpine` for `docker.io/library/alpine:latest`), the `::PLATFORM` variant first.
 */
export function namedContextFor(ref: string, contexts: ReadonlyMap<string, string>, platform: Platform, opts: ReadonlyMap<string, string>): NamedContext | undefined {
  if (contexts.size === 0) return undefined;
  for (const name of [...new Set([ref, shortName(ref)])]) {
    for (const key of [`${name}::${formatPlatform(platform)}`, name]) {
      const value = contexts.get(key);
      if (value !== undefined) return parseContext(key, value, opts);
    }
  }
  return undefined;
}

function parseContext(key: string, value: string, opts: ReadonlyMap<string, string>): NamedContext {
  const name = key.split('::')[0]!;
  if (value.startsWith('docker-image://')) {
    const ref = value.slice('docker-image://'.length);
    if (ref === '') throw new FrontendError(`named context \`${name}\`: \`docker-image://\` without an image reference`);
    return { kind: 'image', name, ref };
  }
  if (value.startsWith('local:')) {
    const localName = value.slice('local:'.length);
    return { kind: 'local', name, localName, sharedKey: opts.get(`sharedkey:localdir:${key}`) ?? localName };
  }
  const scheme = value.split(':')[0];
  throw new FrontendError(
    `named context \`${name}\` is \`${value}\`: the Modus frontend takes a directory or docker-image://REF as a named context, not ${scheme}:`,
  );
}

/** `docker.io/library/alpine:latest` → `alpine`, `docker.io/me/x:latest` → `me/x`. */
function shortName(ref: string): string {
  const normal = normalizeImageRef(ref);
  return normal.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '').replace(/:latest$/, '');
}
