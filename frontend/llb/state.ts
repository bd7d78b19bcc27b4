/**
 * Immutable LLB states in the spirit of Go's client/llb: a State is an output of some op (or
 * scratch) plus the execution context later `run` calls use (env, working directory, user,
 * network, platform...). Every method returns a new State; nothing is marshaled until
 * `marshal(state)`.
 */
import { FileAction, FileVertex } from './fileop';
import { normalizeImageRef } from './reference';
import type {
  CacheSharing,
  ImageResolveMode,
  NetworkMode,
  OpOptions,
  Platform,
  SecurityMode,
} from './types';
import { addInput, compareBytewise, type MarshalContext, type OpParts, type Output, type PbInput, type Vertex } from './vertex';

/** The execution context a State carries for the ops built from it. */
interface ExecContext {
  readonly env: readonly (readonly [string, string])[];
  readonly cwd: string;
  readonly user: string;
  readonly hostname: string;
  readonly network: NetworkMode;
  readonly security: SecurityMode;
  readonly extraHosts: readonly { host: string; ip: string }[];
  readonly platform: Platform | undefined;
}

const INITIAL_CONTEXT: ExecContext = Object.freeze({
  env: [],
  cwd: '/',
  user: '',
  hostname: '',
  network: 'sandbox',
  security: 'sandbox',
  extraHosts: [],
  platform: undefined,
});

/** The part of an OCI image config that `withImageConfig` applies. */
export interface ImageConfigLike {
  config?: { Env?: string[] | null; WorkingDir?: string; User?: string } | null;
}

export class State {
  protected constructor(
    /** The op output this state stands for; undefined for scratch (the empty filesystem). */
    readonly output: Output | undefined,
    protected readonly context: ExecContext,
  ) {}

  /** @internal Used by the op constructors of this module. */
  static of(output: Output | undefined, context: ExecContext = INITIAL_CONTEXT): State {
    return new State(output, context);
  }

  get isScratch(): boolean {
    return this.output === undefined;
  }

  protected with(changes: Partial<ExecContext>): State {
    return new State(this.output, { ...this.context, ...changes });
  }

  /** The same context on another output (Go's WithOutput). */
  withOutput(output: Output | undefined): State {
    return new State(output, this.context);
  }

  // --- environment ---------------------------------------------------------------------------

  /** Sets `key`; an existing entry is removed and the new one appended (Go's AddOrReplace). */
  withEnv(key: string, value: string): State {
    return this.with({ env: [...this.context.env.filter(([k]) => k !== key), [key, value]] });
  }

  withoutEnv(key: string): State {
    return this.with({ env: this.context.env.filter(([k]) => k !== key) });
  }

  getEnv(key: string): string | undefined {
    return this.context.env.find(([k]) => k === key)?.[1];
  }

  /** The environment as `KEY=VALUE` strings, in order. */
  env(): string[] {
    return this.context.env.map(([k, v]) => `${k}=${v}`);
  }

  // --- other context -------------------------------------------------------------------------

  /** Sets the working directory; a relative path is joined to the current one. */
  withDir(dir: string): State {
    return this.with({ cwd: dir.startsWith('/') ? dir : joinPath(this.context.cwd || '/', dir) });
  }

  dir(): string {
    return this.context.cwd;
  }

  withUser(user: string): State {
    return this.with({ user });
  }

  user(): string {
    return this.context.user;
  }

  withHostname(hostname: string): State {
    return this.with({ hostname });
  }

  withNetwork(network: NetworkMode): State {
    return this.with({ network });
  }

  network(): NetworkMode {
    return this.context.network;
  }

  withSecurity(security: SecurityMode): State {
    return this.with({ security });
  }

  withExtraHost(host: string, ip: string): State {
    return this.with({ extraHosts: [...this.context.extraHosts, { host, ip }] });
  }

  withPlatform(platform: Platform): State {
    return this.with({ platform });
  }

  platform(): Platform | undefined {
    return this.context.platform;
  }

  /**
   * Applies an image config: its `Env` entries (in order), `WorkingDir` (joined like `withDir`)
   * and `User`, as the Dockerfile frontend does for a stage's base image.
   */
  withImageConfig(image: ImageConfigLike): State {
    let state: State = this;
    for (const entry of image.config?.Env ?? []) {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      if (key !== '') state = state.withEnv(key, eq < 0 ? '' : entry.slice(eq + 1));
    }
    if (image.config?.WorkingDir) state = state.withDir(image.config.WorkingDir);
    if (image.config?.User) state = state.withUser(image.config.User);
    return state;
  }

  // --- ops -----------------------------------------------------------------------------------

  /** Runs a command on this state (this state's output becomes the root mount). */
  run(options: RunOptions): ExecState {
    const vertex = new ExecVertex(this.output, this.context, options);
    const platform = options.platform ?? this.context.platform;
    return new ExecState(vertex.rootOutput, { ...this.context, platform }, vertex);
  }

  /** Applies file actions (copy, mkdir, mkfile, rm) to this state, as one op. */
  file(action: FileAction, options: OpOptions = {}): State {
    return this.withOutput({ vertex: new FileVertex(this, action, options), index: 0 });
  }
}

/** The root of a `run`, plus access to its other mounts' outputs. */
export class ExecState extends State {
  /** @internal */
  constructor(output: Output | undefined, context: ExecContext, private readonly exec: ExecVertex) {
    super(output, context);
  }

  /** The state of the mount at `dest` after the run (its output, or its unchanged source if read-only). */
  getMount(dest: string): State {
    return this.withOutput(this.exec.mountOutput(dest));
  }
}

// ---------------------------------------------------------------------------------------------
// Sources

/** The empty filesystem. */
export function scratch(): State {
  return State.of(undefined);
}

export interface ImageOptions extends OpOptions {
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

export interface LocalOptions extends OpOptions {
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

// ---------------------------------------------------------------------------------------------
// Exec

export interface ProxyEnv {
  httpProxy?: string;
  httpsProxy?: string;
  ftpProxy?: string;
  noProxy?: string;
  allProxy?: string;
}

/** A bind mount of another state (scratch gives an empty directory). Writable ones become outputs. */
export interface BindMount {
  type?: 'bind';
  dest: string;
  from: State;
  /** Sub-path of `from` to mount. */
  selector?: string;
  readonly?: boolean;
  /** Writable, but its result is thrown away (no output). */
  noOutput?: boolean;
}

/** A persistent cache directory (not part of the cache key; never an output). */
export interface CacheMount {
  type: 'cache';
  dest: string;
  id: string;
  sharing?: CacheSharing;
  /** Initial contents; scratch when absent. */
  from?: State;
}

export interface TmpfsMount {
  type: 'tmpfs';
  dest: string;
}

export type MountOptions = BindMount | CacheMount | TmpfsMount;

export interface RunOptions extends OpOptions {
  /** The command, e.g. `['/bin/sh', '-c', 'make']`; must not be empty. */
  args: readonly string[];
  /** Overrides of the state's context for this run only. */
  cwd?: string;
  user?: string;
  hostname?: string;
  network?: NetworkMode;
  security?: SecurityMode;
  /** Mount the root read-only; the run then has no root output (the state stays the base). */
  readonlyRootfs?: boolean;
  mounts?: readonly MountOptions[];
  proxyEnv?: ProxyEnv;
}

interface ResolvedMount {
  dest: string;
  source: Output | undefined;
  selector: string;
  readonly: boolean;
  kind: 'bind' | 'cache' | 'tmpfs';
  cacheId: string;
  sharing: CacheSharing;
  noOutput: boolean;
  /** Output index of the exec op, or -1. */
  output: number;
}

/** The mounts of a run sorted by destination (as Go does), with output indexes assigned. */
function resolveMounts(base: Output | undefined, options: RunOptions): ResolvedMount[] {
  const blank = { selector: '', readonly: false, noOutput: false, cacheId: '', sharing: 'shared' as CacheSharing };
  const all: Omit<ResolvedMount, 'output'>[] = [
    { ...blank, dest: '/', source: base, readonly: !!options.readonlyRootfs, kind: 'bind' },
  ];
  for (const m of options.mounts ?? []) {
    if (m.type === 'cache') {
      all.push({ ...blank, dest: m.dest, source: m.from?.output, kind: 'cache', cacheId: m.id, sharing: m.sharing ?? 'shared' });
    } else if (m.type === 'tmpfs') {
      all.push({ ...blank, dest: m.dest, source: undefined, kind: 'tmpfs' });
    } else {
      all.push({ ...blank, dest: m.dest, source: m.from.output, selector: m.selector ?? '', readonly: !!m.readonly, noOutput: !!m.noOutput, kind: 'bind' });
    }
  }
  all.sort((a, b) => compareBytewise(a.dest, b.dest));
  for (let i = 1; i < all.length; i++) {
    if (all[i].dest === all[i - 1].dest) throw new Error(`run: two mounts at ${all[i].dest}`);
  }
  let nextOutput = 0;
  return all.map((m) => ({ ...m, output: m.kind === 'bind' && !m.readonly && !m.noOutput ? nextOutput++ : -1 }));
}

const NETWORK_ENUM: Record<NetworkMode, number> = { sandbox: 0, host: 1, none: 2 };
const SECURITY_ENUM: Record<SecurityMode, number> = { sandbox: 0, insecure: 1 };
const SHARING_ENUM: Record<CacheSharing, number> = { shared: 0, private: 1, locked: 2 };
const MOUNT_TYPE = { bind: 0, cache: 3, tmpfs: 4 } as const;

/** Go's system.DefaultPathEnv for Linux. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

class ExecVertex implements Vertex {
  readonly dependencies: readonly Output[];
  readonly options: RunOptions;
  private readonly mounts: readonly ResolvedMount[];
  readonly rootOutput: Output | undefined;

  constructor(
    base: Output | undefined,
    private readonly context: ExecContext,
    options: RunOptions,
  ) {
    if (options.args.length === 0) throw new Error('run: args must not be empty');
    this.options = options;
    this.mounts = resolveMounts(base, options);
    const root = this.mounts.find((m) => m.dest === '/')!;
    this.rootOutput = root.output >= 0 ? { vertex: this, index: root.output } : root.source;
    const seen = new Set<Vertex>();
    const deps: Output[] = [];
    for (const m of this.mounts) {
      if (m.source && !seen.has(m.source.vertex)) {
        seen.add(m.source.vertex);
        deps.push(m.source);
      }
    }
    this.dependencies = deps;
  }

  mountOutput(dest: string): Output | undefined {
    const mount = this.mounts.find((m) => m.dest === dest);
    if (!mount) throw new Error(`run: no mount at ${dest}`);
    if (mount.output >= 0) return { vertex: this, index: mount.output };
    if (mount.readonly) return mount.source;
    throw new Error(`run: the mount at ${dest} has no output`);
  }

  toOp(ctx: MarshalContext): OpParts {
    const o = this.options;
    const c = this.context;
    const caps = ['exec.meta.base'];
    let env = c.env.map(([k, v]) => `${k}=${v}`);
    if (ctx.setsDefaultPath === false && !c.env.some(([k]) => k === 'PATH')) env = [...env, `PATH=${DEFAULT_PATH}`];
    if (ctx.setsDefaultPath === true) caps.push('exec.meta.setsdefaultpath');
    const network = o.network ?? c.network;
    const security = o.security ?? c.security;
    if (network !== 'sandbox') caps.push('exec.meta.network');
    if (security !== 'sandbox') caps.push('exec.meta.security');
    const proxy = o.proxyEnv;
    if (proxy) caps.push('exec.meta.proxyenv');
    const meta = {
      args: [...o.args],
      env,
      cwd: o.cwd ?? c.cwd,
      user: o.user ?? c.user,
      proxy_env: proxy && {
        http_proxy: proxy.httpProxy,
        https_proxy: proxy.httpsProxy,
        ftp_proxy: proxy.ftpProxy,
        no_proxy: proxy.noProxy,
        all_proxy: proxy.allProxy,
      },
      extraHosts: c.extraHosts.length > 0 ? c.extraHosts.map((h) => ({ Host: h.host, IP: h.ip })) : undefined,
      hostname: o.hostname ?? c.hostname,
    };
    if (!meta.cwd) throw new Error('run: a working directory is required');
    const inputs: PbInput[] = [];
    const mounts = this.mounts.map((m) => {
      if (m.selector) caps.push('exec.mount.selector');
      if (m.kind === 'cache') caps.push('exec.mount.cache', 'exec.mount.cache.sharing');
      else if (m.kind === 'tmpfs') caps.push('exec.mount.tmpfs');
      else if (m.source) caps.push('exec.mount.bind');
      return {
        input: m.source ? addInput(inputs, ctx.input(m.source)) : -1,
        selector: m.selector,
        dest: m.dest,
        output: m.output,
        readonly: m.readonly,
        mountType: MOUNT_TYPE[m.kind],
        cacheOpt: m.kind === 'cache' ? { ID: m.cacheId, sharing: SHARING_ENUM[m.sharing] } : undefined,
      };
    });
    return {
      body: { exec: { meta, mounts, network: NETWORK_ENUM[network], security: SECURITY_ENUM[security] } },
      inputs,
      platform: o.platform ?? c.platform ?? ctx.defaultPlatform,
      caps,
    };
  }
}

// ---------------------------------------------------------------------------------------------

function jsonList(list: readonly string[] | undefined): string | undefined {
  return list && list.length > 0 ? goJson(list) : undefined;
}

/** JSON as Go's encoding/json writes it: <, >, & and U+2028/U+2029 escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's path.Join for absolute paths: joins and cleans (`.`, `..`, duplicate slashes). */
export function joinPath(...parts: string[]): string {
  return cleanPath(parts.filter((p) => p !== '').join('/'));
}

/** Go's path.Clean. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}
