/**
 * A buildx bake file for the images of a goal: one target per image (its name derived from the
 * literal), `target` = the literal, the Modusfile as `dockerfile`, the frontend as
 * `args.BUILDKIT_SYNTAX`, and a `default` group of them all. Pure; the same images give the
 * same bytes.
 */
import { createHash } from 'node:crypto';
import { CACHE_ONLY_OUTPUT } from './buildx';

interface BakeImage {
  literal: string;
  predicate: string;
  args: (string | string[])[];
  tags: readonly string[];
  /** Overrides the request's platforms for this target. */
  platforms?: readonly string[];
}

export interface BakeRequest {
  images: readonly BakeImage[];
  context: string;
  /** The Modusfile, relative to the context (or absolute). */
  dockerfile: string;
  frontend: string;
  buildArgs: Readonly<Record<string, string>>;
  /** What `modus build` adds to every target; `modus bake` leaves these out. */
  noCache?: boolean;
  network?: string;
  /** `--secret` / `--ssh` values, as bake's `secret` and `ssh` lists. */
  secrets?: readonly string[];
  ssh?: readonly string[];
  platforms?: readonly string[];
  outputs?: readonly string[];
}

/** A bake target, with its keys in the order they are written. */
interface BakeTarget {
  context: string;
  dockerfile: string;
  target: string;
  args: Record<string, string>;
  tags: string[];
  'no-cache'?: boolean;
  network?: string;
  secret?: string[];
  ssh?: string[];
  platforms?: string[];
  output?: string[];
}

interface BakeFile {
  group: { default: { targets: string[] } };
  target: Record<string, BakeTarget>;
}

/** Names bake accepts for a target (buildx refuses others). */
const NAME_CHARACTERS = /[^A-Za-z0-9_-]+/g;
/** The group's own name: a target cannot have it. */
const RESERVED = new Set(['default']);

/**
 * One name per literal, in order: the predicate and its arguments joined by `-`, other characters
 * as `_` (`app("1.0", "x y")` → `app-1_0-x_y`). Names that would clash, or be `default`, get
 * the first 8 hex digits of the literal's SHA-256 appended, so every name stays unique and stable.
 */
export function bakeTargetNames(images: readonly Pick<BakeImage, 'literal' | 'predicate' | 'args'>[]): string[] {
  const plain = images.map(plainName);
  const count = new Map<string, number>();
  for (const name of plain) count.set(name, (count.get(name) ?? 0) + 1);
  return plain.map((name, i) => (count.get(name)! > 1 || RESERVED.has(name) ? `${name}-${literalHash(images[i]!.literal)}` : name));
}

function plainName(image: Pick<BakeImage, 'predicate' | 'args'>): string {
  const parts = [image.predicate, ...image.args.map((arg) => (typeof arg === 'string' ? arg : arg.join('-')))];
  return parts.map((part) => part.replace(NAME_CHARACTERS, '_')).join('-');
}

function literalHash(literal: string): string {
  return createHash('sha256').update(literal).digest('hex').slice(0, 8);
}

export function bakeFile(req: BakeRequest): BakeFile {
  const names = bakeTargetNames(req.images);
  const args = sortedRecord({ ...req.buildArgs, BUILDKIT_SYNTAX: req.frontend });
  const target: Record<string, BakeTarget> = {};
  req.images.forEach((image, i) => {
    target[names[i]!] = {
      context: req.context,
      dockerfile: req.dockerfile,
      target: image.literal,
      args: { ...args },
      tags: [...image.tags],
      ...(req.noCache ? { 'no-cache': true } : {}),
      ...(req.network === undefined ? {} : { network: req.network }),
      ...(req.secrets === undefined || req.secrets.length === 0 ? {} : { secret: [...req.secrets] }),
      ...(req.ssh === undefined || req.ssh.length === 0 ? {} : { ssh: [...req.ssh] }),
      ...platformsOf(image.platforms ?? req.platforms),
      ...(req.outputs === undefined ? {} : { output: [...req.outputs] }),
    };
  });
  return { group: { default: { targets: names } }, target };
}

/** The one target of `oneSolveBake`. */
const ONE_SOLVE_TARGET = 'all';

/**
 * A bake of the whole goal in one solve (the frontend's MODUS_BUILD_ALL), with the settings of
 * `file`'s first target, into the build cache only: every image's steps at once, nothing exported.
 */
export function oneSolveBake(file: BakeFile, goal: string): BakeFile {
  const first = Object.values(file.target)[0]!;
  const target: BakeTarget = { ...first, target: goal, args: sortedRecord({ ...first.args, MODUS_BUILD_ALL: '1' }), tags: [], output: [CACHE_ONLY_OUTPUT] };
  return { group: { default: { targets: [ONE_SOLVE_TARGET] } }, target: { [ONE_SOLVE_TARGET]: target } };
}

function platformsOf(platforms: readonly string[] | undefined): { platforms?: string[] } {
  return platforms === undefined || platforms.length === 0 ? {} : { platforms: [...platforms] };
}

/** The bake file as written: two-space JSON and a final newline. */
export function bakeJson(file: BakeFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}
