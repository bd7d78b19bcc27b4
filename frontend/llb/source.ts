/** Source ops (`docker-image://`, `local://`, any other identifier), as Go's client/llb source.go. */
import { normalizeImageRef } from './reference';
import { State } from './state';
import type { ImageResolveMode, OpOptions } from './types';
import type { MarshalContext, OpParts, Output, Vertex } from './vertex';

interface ImageOptions extends OpOptions {
  /** `image.resolvemode`; `default` is not written (as in Go). */
  resolveMode?: ImageResolveMode;
  /** `image.recordtype` (`internal`, `frontend`). */
  recordType?: string;
}

/** `docker-image://<normalized ref>`. */
export function image(ref: string, options: ImageOptions = {}): State {
  const attrs: Record<string, string> = {};
  const caps = ['source.image'];
  if (options.resolveMode && options.resolveMode !== 'default') {
    attrs['image.resolvemode'] = options.resolveMode;
    if (options.resolveMode === 'pull') caps.push('source.image.resolvemode');
  }
  if (options.recordType) attrs['image.recordtype'] = options.recordType;
  const vertex = new SourceVertex(`docker-image://${normalizeImageRef(ref)}`, attrs, true, caps, options);
  const state = State.of({ vertex, index: 0 });
  return options.platform ? state.withPlatform(options.platform) : state;
}

interface LocalOptions extends OpOptions {
  /** `local.session`: the client session (BUILDKIT_SESSION_ID). */
  sessionId?: string;
  /** `local.includepattern`: only these paths are transferred. */
  includePatterns?: readonly string[];
  /** `local.excludepatterns`: e.g. the .dockerignore patterns. */
  excludePatterns?: readonly string[];
  /** `local.followpaths`: transfer these paths and follow their symlinks. */
  followPaths?: readonly string[];
  /** `local.sharedkeyhint`: a stable name so the daemon reuses the previous transfer. */
  sharedKeyHint?: string;
  /** `local.unique`: Go sets a random one without a session; we set one only when given. */
  uniqueId?: string;
  /** `local.differ` (BuildKit >= 0.9): `none` or `metadata`. */
  differ?: string;
}

/** `local://<name>`: a directory of the client (e.g. `context`, `dockerfile`). */
export function local(name: string, options: LocalOptions = {}): State {
  const attrs: Record<string, string> = {};
  const caps = ['source.local'];
  const set = (key: string, value: string | undefined, cap?: string) => {
    if (value === undefined || value === '') return;
    attrs[key] = value;
    if (cap) caps.push(cap);
  };
  set('local.session', options.sessionId, 'source.local.sessionid');
  set('local.includepattern', jsonList(options.includePatterns), 'source.local.includepatterns');
  set('local.followpaths', jsonList(options.followPaths), 'source.local.followpaths');
  set('local.excludepatterns', jsonList(options.excludePatterns), 'source.local.excludepatterns');
  set('local.sharedkeyhint', options.sharedKeyHint, 'source.local.sharedkeyhint');
  set('local.unique', options.uniqueId, 'source.local.unique');
  set('local.differ', options.differ, 'source.local.differ');
  return State.of({ vertex: new SourceVertex(`local://${name}`, attrs, false, caps, options), index: 0 });
}

/**
 * Any other source (`git://…`, `https://…`): the identifier and attrs as BuildKit expects them.
 * `platformSpecific` says whether the op carries a platform (only images do, in Go).
 */
export function source(
  identifier: string,
  attrs: Readonly<Record<string, string>>,
  options: OpOptions & { caps?: readonly string[]; platformSpecific?: boolean } = {},
): State {
  const vertex = new SourceVertex(identifier, { ...attrs }, options.platformSpecific ?? false, [...(options.caps ?? [])], options);
  return State.of({ vertex, index: 0 });
}

class SourceVertex implements Vertex {
  readonly dependencies: readonly Output[] = [];

  constructor(
    private readonly identifier: string,
    private readonly attrs: Readonly<Record<string, string>>,
    private readonly platformSpecific: boolean,
    private readonly caps: readonly string[],
    readonly options: OpOptions,
  ) {
    if (identifier === '') throw new Error('source identifier must not be empty');
  }

  toOp(ctx: MarshalContext): OpParts {
    return {
      body: { source: { identifier: this.identifier, attrs: this.attrs } },
      inputs: [],
      platform: this.platformSpecific ? (this.options.platform ?? ctx.defaultPlatform) : undefined,
      caps: [...this.caps],
    };
  }
}

function jsonList(list: readonly string[] | undefined): string | undefined {
  return list && list.length > 0 ? goJson(list) : undefined;
}

/** JSON as Go's encoding/json writes it: <, >, & and U+2028/U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

