/**
 * Immutable LLB states in the spirit of Go's client/llb: a State is an output of some op (or
 * scratch) plus the execution context later `run` calls use (env, working directory, user,
 * network, platform...). Every method returns a new State; nothing is marshaled until
 * `marshal(state)`.
 */
import { ExecVertex, type ExecContext, type RunOptions } from './exec';
import { FileAction, FileVertex } from './fileop';
import { joinPath } from './paths';
import type { NetworkMode, OpOptions, Platform, SecurityMode } from './types';
import type { Output } from './vertex';

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
interface ImageConfigLike {
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
class ExecState extends State {
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

/** The empty filesystem. */
export function scratch(): State {
  return State.of(undefined);
}

