/**
 * The ExecOp: a command run on a root filesystem plus mounts, as Go's client/llb exec.go. The
 * State's execution context (env, working directory, user, network...) fills its metadata.
 */
import type { CacheSharing, NetworkMode, OpOptions, Platform, SecurityMode } from './types';
import { addInput, compareBytewise, type MarshalContext, type OpParts, type Output, type PbInput, type StateRef, type Vertex } from './vertex';

/** The execution context a State carries for the ops built from it. */
export interface ExecContext {
  readonly env: readonly (readonly [string, string])[];
  readonly cwd: string;
  readonly user: string;
  readonly hostname: string;
  readonly network: NetworkMode;
  readonly security: SecurityMode;
  readonly extraHosts: readonly { host: string; ip: string }[];
  readonly platform: Platform | undefined;
}

interface ProxyEnv {
  httpProxy?: string;
  httpsProxy?: string;
  ftpProxy?: string;
  noProxy?: string;
  allProxy?: string;
}

/** A bind mount of another state (scratch gives an empty directory). Writable ones become outputs. */
interface BindMount {
  type?: 'bind';
  dest: string;
  from: StateRef;
  /** Sub-path of `from` to mount. */
  selector?: string;
  readonly?: boolean;
  /** Writable, but its result is thrown away (no output). */
  noOutput?: boolean;
}

/** A persistent cache directory (not part of the cache key; never an output). */
interface CacheMount {
  type: 'cache';
  dest: string;
  id: string;
  sharing?: CacheSharing;
  /** Initial contents; scratch when absent. */
  from?: StateRef;
}

interface TmpfsMount {
  type: 'tmpfs';
  dest: string;
}

/** A secret of the build's session as a read-only file (mode 0400 unless said). */
interface SecretMount {
  type: 'secret';
  dest: string;
  id: string;
  mode?: number;
  optional?: boolean;
}

/**
 * An SSH agent of the build's session as a socket (mode 0600 unless said). The first SSH mount
 * of a run is named by `SSH_AUTH_SOCK` unless the environment names one already (as Go does).
 */
interface SshMount {
  type: 'ssh';
  dest: string;
  id: string;
  mode?: number;
  optional?: boolean;
}

export type MountOptions = BindMount | CacheMount | TmpfsMount | SecretMount | SshMount;

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
  kind: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
  /** The cache, secret or SSH agent id. */
  cacheId: string;
  mode: number;
  optional: boolean;
  sharing: CacheSharing;
  noOutput: boolean;
  /** Output index of the exec op, or -1. */
  output: number;
}

/** The mounts of a run sorted by destination (as Go does), with output indexes assigned. */
function resolveMounts(base: Output | undefined, options: RunOptions): ResolvedMount[] {
  const blank = { selector: '', readonly: false, noOutput: false, cacheId: '', sharing: 'shared' as CacheSharing, mode: 0, optional: false };
  const all: Omit<ResolvedMount, 'output'>[] = [
    { ...blank, dest: '/', source: base, readonly: !!options.readonlyRootfs, kind: 'bind' },
  ];
  for (const m of options.mounts ?? []) {
    if (m.type === 'cache') {
      all.push({ ...blank, dest: m.dest, source: m.from?.output, kind: 'cache', cacheId: m.id, sharing: m.sharing ?? 'shared' });
    } else if (m.type === 'tmpfs') {
      all.push({ ...blank, dest: m.dest, source: undefined, kind: 'tmpfs' });
    } else if (m.type === 'secret' || m.type === 'ssh') {
      const mode = m.mode ?? (m.type === 'secret' ? 0o400 : 0o600);
      all.push({ ...blank, dest: m.dest, source: undefined, kind: m.type, cacheId: m.id, mode, optional: !!m.optional });
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
const MOUNT_TYPE = { bind: 0, secret: 1, ssh: 2, cache: 3, tmpfs: 4 } as const;

/** Go's system.DefaultPathEnv for Linux. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class ExecVertex implements Vertex {
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
    const ssh = this.mounts.find((m) => m.kind === 'ssh');
    if (ssh && !c.env.some(([k]) => k === 'SSH_AUTH_SOCK')) env = [...env, `SSH_AUTH_SOCK=${ssh.dest}`];
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
      else if (m.kind === 'secret') caps.push('exec.mount.secret');
      else if (m.kind === 'ssh') caps.push('exec.mount.ssh');
      else if (m.source) caps.push('exec.mount.bind');
      return {
        input: m.source ? addInput(inputs, ctx.input(m.source)) : -1,
        selector: m.selector,
        dest: m.dest,
        output: m.output,
        readonly: m.readonly,
        mountType: MOUNT_TYPE[m.kind],
        cacheOpt: m.kind === 'cache' ? { ID: m.cacheId, sharing: SHARING_ENUM[m.sharing] } : undefined,
        secretOpt: m.kind === 'secret' ? { ID: m.cacheId, uid: 0, gid: 0, mode: m.mode, optional: m.optional } : undefined,
        SSHOpt: m.kind === 'ssh' ? { ID: m.cacheId, uid: 0, gid: 0, mode: m.mode, optional: m.optional } : undefined,
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

