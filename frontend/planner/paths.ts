/**
 * Path arithmetic the planner does itself. Relative results stay relative: the LLB stage
 * resolves them against the working directory stored in the image config, which only it knows once the base image is resolved.
 */

/**
 * `path` seen from `base`: an absolute `path` replaces `base`, a relative one is appended.
 * `join("", "a")` is `a`, `join("a", "b")` is `a/b`, `join("a", "/b")` is `/b`,
 * `join("/", "x")` is `/x`. Nothing is normalised (`.`/`..` are left for the LLB stage).
 */
export function joinPath(base: string, path: string): string {
  if (path.startsWith('/') || base === '') return path;
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path}`;
}

/** True when `path` is relative and does not climb out of its root with `..`. */
export function staysInsideContext(path: string): boolean {
  if (path.startsWith('/')) return false;
  let depth = 0;
  for (const segment of path.split('/')) {
    if (segment === '..') depth--;
    else if (segment !== '' && segment !== '.') depth++;
    if (depth < 0) return false;
  }
  return true;
}
