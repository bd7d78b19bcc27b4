/**
 * File actions (copy, mkdir, mkfile, rm) chained into one FileOp, as Go's llb.Mkdir(...).Copy(...).
 * A chain is applied with `state.file(chain)`; relative paths are resolved against that state's
 * working directory, and a relative copy source against the source state's working directory.
 */
import { cleanPath, joinPath } from './paths';
import type { OpOptions } from './types';
import { addInput, type MarshalContext, type OpParts, type Output, type PbInput, type StateRef, type Vertex } from './vertex';

/** Owner of created files: a numeric id or a name looked up in the target's /etc/passwd. */
interface Owner {
  user?: number | string;
  group?: number | string;
}

/** Creation time: a Date, or nanoseconds since the epoch. Unset means "now" (copy: keep). */
type Timestamp = Date | bigint;

interface MkdirOptions {
  makeParents?: boolean;
  owner?: Owner | string;
  createdTime?: Timestamp;
}

interface MkfileOptions {
  owner?: Owner | string;
  createdTime?: Timestamp;
}

interface RmOptions {
  allowNotFound?: boolean;
  allowWildcard?: boolean;
}

interface CopyOptions {
  /** File mode for the copied files; unset keeps the source's mode. */
  mode?: number;
  followSymlinks?: boolean;
  /** Copy the contents of a source directory, not the directory itself. */
  copyDirContentsOnly?: boolean;
  attemptUnpack?: boolean;
  createDestPath?: boolean;
  allowWildcard?: boolean;
  allowEmptyWildcard?: boolean;
  owner?: Owner | string;
  createdTime?: Timestamp;
  /** BuildKit >= 0.9 (cap file.copy.includeexcludepatterns). */
  includePatterns?: readonly string[];
  excludePatterns?: readonly string[];
  /** BuildKit >= 0.14. */
  alwaysReplaceExistingDestPaths?: boolean;
}

type ActionSpec =
  | { kind: 'mkdir'; path: string; mode: number; options: MkdirOptions }
  | { kind: 'mkfile'; path: string; mode: number; data: Uint8Array; options: MkfileOptions }
  | { kind: 'rm'; path: string; options: RmOptions }
  | { kind: 'copy'; from: StateRef; src: string; dest: string; options: CopyOptions };

/** An immutable chain of file actions; each method returns a longer chain. */
export class FileAction {
  private constructor(
    private readonly previous: FileAction | undefined,
    private readonly spec: ActionSpec,
  ) {}

  static mkdir(path: string, mode: number, options: MkdirOptions = {}): FileAction {
    return new FileAction(undefined, { kind: 'mkdir', path, mode, options });
  }

  static mkfile(path: string, mode: number, data: Uint8Array | string, options: MkfileOptions = {}): FileAction {
    return new FileAction(undefined, { kind: 'mkfile', path, mode, data: toBytes(data), options });
  }

  static rm(path: string, options: RmOptions = {}): FileAction {
    return new FileAction(undefined, { kind: 'rm', path, options });
  }

  /** Copies `src` of state `from` to `dest` of the target. */
  static copy(from: StateRef, src: string, dest: string, options: CopyOptions = {}): FileAction {
    return new FileAction(undefined, { kind: 'copy', from, src, dest, options });
  }

  mkdir(path: string, mode: number, options: MkdirOptions = {}): FileAction {
    return new FileAction(this, { kind: 'mkdir', path, mode, options });
  }

  mkfile(path: string, mode: number, data: Uint8Array | string, options: MkfileOptions = {}): FileAction {
    return new FileAction(this, { kind: 'mkfile', path, mode, data: toBytes(data), options });
  }

  rm(path: string, options: RmOptions = {}): FileAction {
    return new FileAction(this, { kind: 'rm', path, options });
  }

  copy(from: StateRef, src: string, dest: string, options: CopyOptions = {}): FileAction {
    return new FileAction(this, { kind: 'copy', from, src, dest, options });
  }

  /** The actions of the chain, first to last. */
  specs(): ActionSpec[] {
    const out: ActionSpec[] = [];
    for (let a: FileAction | undefined = this; a; a = a.previous) out.push(a.spec);
    return out.reverse();
  }
}

export const mkfile = FileAction.mkfile;
export const copy = FileAction.copy;

/** @internal The FileOp made by `state.file(chain)`. */
export class FileVertex implements Vertex {
  readonly dependencies: readonly Output[];
  private readonly actions: ActionSpec[];

  constructor(
    private readonly target: StateRef,
    chain: FileAction,
    readonly options: OpOptions,
  ) {
    this.actions = chain.specs();
    const deps: Output[] = [];
    const add = (o: Output | undefined) => {
      if (o && !deps.some((d) => d.vertex === o.vertex && d.index === o.index)) deps.push(o);
    };
    add(target.output);
    for (const a of this.actions) if (a.kind === 'copy') add(a.from.output);
    this.dependencies = deps;
  }

  toOp(ctx: MarshalContext): OpParts {
    const caps = ['file.base'];
    const inputs: PbInput[] = [];
    const parent = this.target.dir();
    const actions = this.actions.map((spec) => {
      const base = this.target.output ? addInput(inputs, ctx.input(this.target.output)) : -1;
      const secondary = spec.kind === 'copy' && spec.from.output ? addInput(inputs, ctx.input(spec.from.output)) : -1;
      return { spec, base, secondary };
    });
    // Chained actions refer to the previous action's result as len(inputs) + its position.
    const pbActions = actions.map(({ spec, base, secondary }, i) => {
      if (spec.kind === 'copy' && (spec.options.includePatterns?.length || spec.options.excludePatterns?.length)) {
        caps.push('file.copy.includeexcludepatterns');
      }
      return {
        input: i === 0 ? base : inputs.length + i - 1,
        secondaryInput: secondary,
        output: i === actions.length - 1 ? 0 : -1,
        ...actionBody(spec, parent, base),
      };
    });
    return {
      body: { file: { actions: pbActions } },
      inputs,
      platform: this.options.platform ?? this.target.platform() ?? ctx.defaultPlatform,
      caps,
    };
  }
}

function actionBody(spec: ActionSpec, parent: string, base: number): Record<string, unknown> {
  switch (spec.kind) {
    case 'mkdir':
      return {
        mkdir: {
          path: normalizePath(parent, spec.path, false),
          mode: spec.mode & 0o777,
          makeParents: !!spec.options.makeParents,
          owner: chown(spec.options.owner, base),
          timestamp: timestamp(spec.options.createdTime),
        },
      };
    case 'mkfile':
      return {
        mkfile: {
          path: normalizePath(parent, spec.path, false),
          mode: spec.mode & 0o777,
          data: spec.data,
          owner: chown(spec.options.owner, base),
          timestamp: timestamp(spec.options.createdTime),
        },
      };
    case 'rm':
      return {
        rm: {
          path: normalizePath(parent, spec.path, false),
          allowNotFound: !!spec.options.allowNotFound,
          allowWildcard: !!spec.options.allowWildcard,
        },
      };
    case 'copy': {
      const o = spec.options;
      let src = cleanPath(spec.src);
      if (!src.startsWith('/')) src = joinPath('/', spec.from.dir(), src);
      return {
        copy: {
          src,
          dest: normalizePath(parent, spec.dest, true),
          owner: chown(o.owner, base),
          mode: o.mode ?? -1,
          followSymlink: !!o.followSymlinks,
          dirCopyContents: !!o.copyDirContentsOnly,
          attemptUnpackDockerCompatibility: !!o.attemptUnpack,
          createDestPath: !!o.createDestPath,
          allowWildcard: !!o.allowWildcard,
          allowEmptyWildcard: !!o.allowEmptyWildcard,
          timestamp: timestamp(o.createdTime),
          include_patterns: o.includePatterns ? [...o.includePatterns] : undefined,
          exclude_patterns: o.excludePatterns ? [...o.excludePatterns] : undefined,
          alwaysReplaceExistingDestPaths: !!o.alwaysReplaceExistingDestPaths,
        },
      };
    }
  }
}

/** Go's normalizePath: absolute, cleaned; with keepSlash a trailing `/` or `/.` survives. */
function normalizePath(parent: string, path: string, keepSlash: boolean): string {
  let p = cleanPath(path);
  if (!p.startsWith('/')) p = joinPath('/', parent, p);
  if (keepSlash) {
    if (path.endsWith('/') && !p.endsWith('/')) p += '/';
    else if (path.endsWith('/.')) p = (p === '/' ? '/' : p + '/') + '.';
  }
  return p;
}

function timestamp(t: Timestamp | undefined): number | bigint {
  if (t === undefined) return -1;
  return t instanceof Date ? BigInt(t.getTime()) * 1_000_000n : t;
}

function chown(owner: Owner | string | undefined, base: number): Record<string, unknown> | undefined {
  if (owner === undefined) return undefined;
  const o = typeof owner === 'string' ? parseOwner(owner) : owner;
  const one = (v: number | string | undefined) =>
    v === undefined ? undefined : typeof v === 'number' ? { byID: v } : { byName: { name: v, input: base } };
  return { user: one(o.user), group: one(o.group) };
}

/** `user[:group]`, each numeric or a name (`root` is 0), as Go's llb.WithUser. */
export function parseOwner(text: string): Owner {
  const [user, group] = text.split(/:(.*)/s, 2);
  const id = (v: string) => (v === 'root' ? 0 : /^[+-]?\d+$/.test(v) && Math.abs(Number(v)) < 2 ** 31 ? Number(v) : v);
  return group === undefined ? { user: id(user) } : { user: id(user), group: id(group) };
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
