/**
 * Seeing why: from the plain progress output of a build, the record of each Modus
 * step (its name, the parts of its cache key that the step name shows, whether BuildKit reused
 * it), and, against the records of the previous build of the same image, why each step that ran
 * ran: the probe answer changed, the TTL bucket changed, the cache key changed, no-cache, or an
 * input changed. Pure: the caller reads the progress and keeps the previous records.
 */

type KeyPart =
  | { kind: 'key'; value: string }
  | { kind: 'probe'; short: string; digest: string }
  | { kind: 'ttl'; duration: string; bucket: number }
  | { kind: 'no-cache' };

type StepStatus = 'cached' | 'run' | 'failed';

export interface StepRecord {
  /** The step name without its key suffix: `app › run("make") Modusfile:3:4`. */
  name: string;
  /** What its name shows of its cache key, in order. */
  parts: KeyPart[];
  status: StepStatus;
  /** A `::cache_probe(...)` run: never cached, its answer goes into other steps' keys. */
  probe: boolean;
  /** A `from(...)` source: resolved, never run. */
  base: boolean;
}

type Reason =
  | { kind: 'reused' }
  | { kind: 'probe-run' }
  | { kind: 'base-image' }
  | { kind: 'failed' }
  | { kind: 'no-cache' }
  | { kind: 'first-build' }
  | { kind: 'new-step' }
  | { kind: 'probe-changed'; old: KeyPart & { kind: 'probe' }; new: KeyPart & { kind: 'probe' } }
  | { kind: 'ttl-changed'; old: KeyPart & { kind: 'ttl' }; new: KeyPart & { kind: 'ttl' } }
  | { kind: 'key-changed'; old: string | undefined; new: string | undefined }
  | { kind: 'input-changed' };

export interface StepExplanation {
  name: string;
  status: StepStatus;
  /** Every reason that applies (a step whose probe answer and TTL bucket both changed has two). */
  reasons: Reason[];
}

const LOCATION = / \S+:\d+:\d+$/;
const PROBE_TEXT = /(?:^|› )::cache_probe\(/;
const FROM_TEXT = /(?:^|› )from\(/;
const SUFFIX_PART = /^ \[(key .*|probe "(?:[^"\\]|\\.)*" [0-9a-f]{12}|ttl \S+ #\d+|no-cache)\]$/;

/** Splits a step name into its base name and the key parts of its suffix. */
export function parseStepName(fullName: string): { name: string; parts: KeyPart[] } {
  const parts: KeyPart[] = [];
  let name = fullName;
  for (let part = lastSuffixPart(name); part; part = lastSuffixPart(name)) {
    parts.unshift(parsePart(part.text));
    name = name.slice(0, part.start);
  }
  return { name, parts };
}

/** The last ` [...]` of a name when it is a key part: the shortest tail that parses as one. */
function lastSuffixPart(name: string): { text: string; start: number } | undefined {
  for (let start = name.lastIndexOf(' ['); start >= 0; start = name.lastIndexOf(' [', start - 1)) {
    const match = SUFFIX_PART.exec(name.slice(start));
    if (match) return { text: match[1]!, start };
    if (start === 0) break;
  }
  return undefined;
}

function parsePart(text: string): KeyPart {
  if (text === 'no-cache') return { kind: 'no-cache' };
  if (text.startsWith('key ')) return { kind: 'key', value: text.slice(4) };
  if (text.startsWith('ttl ')) {
    const [, duration, bucket] = /^ttl (\S+) #(\d+)$/.exec(text)!;
    return { kind: 'ttl', duration: duration!, bucket: Number(bucket) };
  }
  const [, quoted, digest] = /^probe ("(?:[^"\\]|\\.)*") ([0-9a-f]{12})$/.exec(text)!;
  return { kind: 'probe', short: JSON.parse(quoted!) as string, digest: digest! };
}

/**
 * The Modus steps of a `--progress=plain` output, in the order they first appear. BuildKit's own
 * vertices (context transfer, salt files, image resolution, export) are left out: a Modus step's
 * name ends with its Modusfile position.
 */
export function parseProgress(output: string): StepRecord[] {
  const names = new Map<string, string>();
  const statuses = new Map<string, StepStatus>();
  const order: string[] = [];
  for (const line of output.split('\n')) {
    const match = /^#(\d+) (.*)$/.exec(line.trimEnd());
    if (!match) continue;
    const [, vertex, rest] = match as unknown as [string, string, string];
    if (!names.has(vertex)) {
      names.set(vertex, rest);
      order.push(vertex);
    } else if (rest === 'CACHED') statuses.set(vertex, 'cached');
    else if (/^ERROR\b/.test(rest)) statuses.set(vertex, 'failed');
    else if (/^DONE\b/.test(rest) && statuses.get(vertex) !== 'cached') statuses.set(vertex, 'run');
  }
  const records: StepRecord[] = [];
  for (const vertex of order) {
    const { name, parts } = parseStepName(names.get(vertex)!);
    if (!LOCATION.test(name)) continue;
    const status = statuses.get(vertex);
    if (status === undefined) continue;
    records.push({ name, parts, status, probe: PROBE_TEXT.test(name), base: FROM_TEXT.test(name) });
  }
  return records;
}

/**
 * Why each step of `current` was reused or ran, given the records of the previous build of the
 * same image (undefined: there was none). Steps are matched by name, then by name without the
 * Modusfile position (positions move when the file is edited).
 */
export function explainCache(previous: readonly StepRecord[] | undefined, current: readonly StepRecord[]): StepExplanation[] {
  const find = previous ? matcher(previous) : () => undefined;
  return current.map((step) => ({ name: step.name, status: step.status, reasons: reasonsFor(step, previous === undefined, find(step)) }));
}

function matcher(previous: readonly StepRecord[]): (step: StepRecord) => StepRecord | undefined {
  const byName = new Map<string, StepRecord>();
  const byText = new Map<string, StepRecord[]>();
  for (const record of previous) {
    if (!byName.has(record.name)) byName.set(record.name, record);
    const text = withoutLocation(record.name);
    byText.set(text, [...(byText.get(text) ?? []), record]);
  }
  return (step) => {
    const exact = byName.get(step.name);
    if (exact) return exact;
    const same = byText.get(withoutLocation(step.name)) ?? [];
    return same.length === 1 ? same[0] : undefined;
  };
}

function withoutLocation(name: string): string {
  return name.replace(LOCATION, '');
}

function reasonsFor(step: StepRecord, firstBuild: boolean, before: StepRecord | undefined): Reason[] {
  if (step.base) return [{ kind: 'base-image' }];
  if (step.status === 'cached') return [{ kind: 'reused' }];
  if (step.status === 'failed') return [{ kind: 'failed' }];
  if (step.probe) return [{ kind: 'probe-run' }];
  if (step.parts.some((p) => p.kind === 'no-cache')) return [{ kind: 'no-cache' }];
  if (firstBuild) return [{ kind: 'first-build' }];
  if (!before) return [{ kind: 'new-step' }];
  const changes = [...probeChanges(before.parts, step.parts), ...ttlChanges(before.parts, step.parts), ...keyChanges(before.parts, step.parts)];
  return changes.length > 0 ? changes : [{ kind: 'input-changed' }];
}

function ofKind<K extends KeyPart['kind']>(parts: readonly KeyPart[], kind: K): Extract<KeyPart, { kind: K }>[] {
  return parts.filter((p): p is Extract<KeyPart, { kind: K }> => p.kind === kind);
}

/** Probes are paired by position: the step name shows answers, not commands, in nesting order. */
function probeChanges(old: readonly KeyPart[], now: readonly KeyPart[]): Reason[] {
  const before = ofKind(old, 'probe');
  return ofKind(now, 'probe').flatMap((answer, i): Reason[] => {
    const earlier = before[i];
    return earlier && earlier.digest !== answer.digest ? [{ kind: 'probe-changed', old: earlier, new: answer }] : [];
  });
}

function ttlChanges(old: readonly KeyPart[], now: readonly KeyPart[]): Reason[] {
  const before = ofKind(old, 'ttl');
  return ofKind(now, 'ttl').flatMap((ttl): Reason[] => {
    const earlier = before.find((t) => t.duration === ttl.duration);
    return earlier && earlier.bucket !== ttl.bucket ? [{ kind: 'ttl-changed', old: earlier, new: ttl }] : [];
  });
}

function keyChanges(old: readonly KeyPart[], now: readonly KeyPart[]): Reason[] {
  const before = ofKind(old, 'key').map((k) => k.value);
  const after = ofKind(now, 'key').map((k) => k.value);
  const changes: Reason[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    if (before[i] !== after[i]) changes.push({ kind: 'key-changed', old: before[i], new: after[i] });
  }
  return changes;
}

/** One line per reason: `reused`, `run: probe answer changed ("one" 2c8b08da5ce6 → "two" 27dd8ed44a83)`. */
export function describeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'reused':
      return 'reused (CACHED)';
    case 'probe-run':
      return 'probe: runs fresh every build';
    case 'base-image':
      return 'base image (a source: resolved, never run)';
    case 'failed':
      return 'failed';
    case 'no-cache':
      return 'run: no-cache';
    case 'first-build':
      return 'run: no previous build to compare with';
    case 'new-step':
      return 'run: a new step (not in the previous build)';
    case 'probe-changed':
      return `run: probe answer changed (${showProbe(reason.old)} → ${showProbe(reason.new)})`;
    case 'ttl-changed':
      return `run: TTL bucket changed (${reason.new.duration} #${reason.old.bucket} → #${reason.new.bucket})`;
    case 'key-changed':
      return `run: cache key changed (${reason.old ?? 'none'} → ${reason.new ?? 'none'})`;
    case 'input-changed':
      return 'run: an input changed (an earlier step, a copied file or the base image)';
  }
}

function showProbe(probe: KeyPart & { kind: 'probe' }): string {
  return `${JSON.stringify(probe.short)} ${probe.digest}`;
}

/** The text `modus build --explain-cache` prints: one block per step. */
export function renderExplanations(explanations: readonly StepExplanation[]): string {
  return explanations.map((e) => `${e.name}\n${e.reasons.map((r) => `    ${describeReason(r)}\n`).join('')}`).join('');
}

/** The previous-build records a caller keeps, one entry per Modusfile and image literal. */
export type ExplainState = Record<string, StepRecord[]>;

export function explainStateKey(modusfilePath: string, literal: string): string {
  return `${modusfilePath}\u0000${literal}`;
}

/**
 * One build's explanation and the state to keep for the next one. `previousState` is what the
 * last call returned (or `{}`), as read back from the caller's state file.
 */
export function explainBuild(
  previousState: ExplainState,
  modusfilePath: string,
  literal: string,
  progressOutput: string,
): { explanations: StepExplanation[]; state: ExplainState } {
  const key = explainStateKey(modusfilePath, literal);
  const current = parseProgress(progressOutput);
  const explanations = explainCache(previousState[key], current);
  const state: ExplainState = {};
  for (const k of [...Object.keys(previousState), key].sort()) state[k] = k === key ? current : previousState[k]!;
  return { explanations, state };
}
