/**
 * The JSON shapes of BuildKit's subrequests (`frontend.subrequests.describe`, `frontend.targets`,
 * `frontend.outline`, `frontend.lint`) as buildx decodes them. Field names and omitted-when-empty
 * rules follow the Go types' JSON encoding, so that `--call=…,format=json` prints what a
 * Dockerfile build prints.
 */

/** pb.Position: 1-based line, 0-based character (zero values are omitted, as Go does). */
interface Position {
  line?: number;
  character?: number;
}

interface Range {
  start: Position;
  end: Position;
}

/** pb.Location: which of `sources` (0 is omitted) and the ranges in it. */
export interface Location {
  sourceIndex?: number;
  ranges: Range[];
}

interface Named {
  name: string;
  description: string;
}

export interface RequestDefinition {
  name: string;
  version: string;
  type: 'rpc';
  description: string;
  opts: Named[] | null;
  inputs: Named[] | null;
  metadata: Named[] | null;
  refs: Named[] | null;
}

interface Target {
  name?: string;
  default?: boolean;
  description?: string;
  base?: string;
  platform?: string;
  location?: Location;
}

export interface TargetList {
  targets: Target[];
  /** The build files, base64 in JSON (Go []byte). */
  sources: string[];
}

export interface OutlineArg {
  name: string;
  description?: string;
  value?: string;
  location?: Location;
}

export interface Outline {
  name?: string;
  description?: string;
  args?: OutlineArg[];
  sources?: string[];
}

export interface LintWarning {
  ruleName: string;
  description?: string;
  url?: string;
  detail?: string;
  location: Location;
}

interface SourceInfo {
  filename: string;
  data: string;
  language?: string;
}

export interface LintResults {
  warnings: LintWarning[];
  sources: SourceInfo[];
  buildError?: { message: string; location: Location };
}

/** What a subrequest Returns: metadata only (no ref). */
export type SubrequestMetadata = Record<string, string>;

export const TARGETS = 'frontend.targets';
export const OUTLINE = 'frontend.outline';
export const LINT = 'frontend.lint';
export const DESCRIBE = 'frontend.subrequests.describe';
