/**
 * Public data types of the LLB builder. Field names of the `Pb*` types are the .proto names
 * (proto/ops.proto) so that the objects can be encoded as they are.
 */

/** A target platform, as in OCI (`linux/amd64`, `linux/arm64/v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
}

export const DEFAULT_PLATFORM: Platform = Object.freeze({ os: 'linux', architecture: 'amd64' });

export type NetworkMode = 'sandbox' | 'host' | 'none';
export type SecurityMode = 'sandbox' | 'insecure';
export type CacheSharing = 'shared' | 'private' | 'locked';
export type ImageResolveMode = 'default' | 'pull' | 'local';

/** A position in a source file: 1-based line, 0-based character (BuildKit's convention). */
interface LlbPosition {
  line: number;
  character: number;
}

interface LlbRange {
  start: LlbPosition;
  end: LlbPosition;
}

/** Per-op metadata a caller may set. None of it is part of the op's digest. */
export interface MetadataOptions {
  /** The progress line name (`llb.customname`). */
  customName?: string;
  /** Further description entries; `customName` wins for `llb.customname`. */
  description?: Readonly<Record<string, string>>;
  /** Always run this op (BuildKit `ignore_cache`); the ops depending on it run again too. */
  ignoreCache?: boolean;
  /** Export this vertex with min-mode cache exports (`export_cache`). */
  exportCache?: boolean;
  /** Group the progress lines of several ops (BuildKit >= 0.10; ignored by older daemons). */
  progressGroup?: { id: string; name: string; weak?: boolean };
}

/** Options every op constructor takes. */
export interface OpOptions extends MetadataOptions {
  /** Platform of this op; otherwise the state's, otherwise the marshal default. */
  platform?: Platform;
  /** Where in the build file this op comes from (error snippets on newer daemons). */
  locations?: readonly SourceLocation[];
}

/** A file that source locations point into; one `SourceInfo` entry per file in the Definition. */
export class SourceMapFile {
  constructor(
    readonly filename: string,
    readonly data: Uint8Array,
    readonly language?: string,
  ) {}

  location(ranges: readonly LlbRange[]): SourceLocation {
    return { file: this, ranges };
  }
}

export interface SourceLocation {
  file: SourceMapFile;
  ranges: readonly LlbRange[];
}

// ---------------------------------------------------------------------------------------------
// Marshaled forms (pb.OpMetadata, pb.Source, pb.Definition as plain objects)

export interface PbOpMetadata {
  ignore_cache?: boolean;
  description?: Record<string, string>;
  export_cache?: { Value?: boolean };
  caps?: Record<string, boolean>;
  progress_group?: { id?: string; name?: string; weak?: boolean };
}

export interface PbRange {
  start: { line?: number; character?: number };
  end: { line?: number; character?: number };
}

export interface PbSource {
  locations: Record<string, { locations: { sourceIndex?: number; ranges: PbRange[] }[] }>;
  infos: { filename?: string; data?: Uint8Array; language?: string }[];
}

/** The result of `marshal`: what goes into `SolveRequest.Definition`. */
export interface Definition {
  /** Marshaled ops, dependencies first; the last one is the terminal op (absent for scratch). */
  def: Uint8Array[];
  /** Op digest → metadata, in `def` order. */
  metadata: Record<string, PbOpMetadata>;
  /** Source map, when any op carries locations. */
  source?: PbSource;
}
