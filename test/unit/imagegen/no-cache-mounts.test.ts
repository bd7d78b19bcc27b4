/**
 * A step that runs again and has a cache mount keeps the mount: instead of BuildKit's ignore_cache
 * (which gives it an empty cache directory) it gets the build's nonce in its key.
 */
import { SourceFile } from '../../../grammar/source';
import { generateImages, type GenerateOptions } from '../../../frontend/imagegen/generate';
import { scratchConfig } from '../../../frontend/imagegen/config';
import { local, marshal, sha256Digest, type Definition } from '../../../frontend/llb';
import { decodeMessage } from '../../../proto/schema';
import { planOf } from '../../support/plan-of';

const BASE = 'modus-test/busybox:1';
const platform = { os: 'linux', architecture: 'amd64' };

function options(modusfile: string, extra: Partial<GenerateOptions> = {}): GenerateOptions {
  const config = { ...scratchConfig(platform), config: { Env: ['PATH=/bin'], WorkingDir: '/' } };
  return {
    platform,
    network: 'sandbox',
    noCache: { all: false, predicates: [] },
    context: local('context'),
    bases: new Map([[BASE, { ref: `docker.io/${BASE}@sha256:${'0'.repeat(64)}`, config }]]),
    file: new SourceFile('Modusfile', modusfile),
    ...extra,
  };
}

interface Step {
  name: string;
  ignoreCache: boolean;
  digest: string;
  /** The salt file's content, when the step has one. */
  salt?: string;
}

/** Every exec of the goal's image with its name, ignore_cache flag, digest and salt. */
function steps(modusfile: string, extra: Partial<GenerateOptions> = {}, goal = 'a'): Step[] {
  const plan = planOf(modusfile, goal);
  const def: Definition = marshal(generateImages(plan, options(modusfile, extra))[plan.outputs[0]!.node]!.fs, { platform });
  const byDigest = new Map(def.def.map((bytes) => [sha256Digest(bytes), decodeMessage<any>('pb.Op', bytes)]));
  const out: Step[] = [];
  for (const [digest, op] of byDigest) {
    if (!op.exec) continue;
    const meta = def.metadata[digest] ?? {};
    const saltInput = op.exec.mounts.find((m: any) => m.dest === '/dev/.modus-cache-key')?.input;
    const saltOp = saltInput === undefined ? undefined : byDigest.get(op.inputs[saltInput].digest);
    const step: Step = { name: meta.description?.['llb.customname'] ?? '', ignoreCache: !!meta.ignore_cache, digest };
    const salt = saltOp?.file?.actions?.[0]?.mkfile?.data;
    if (salt) step.salt = Buffer.from(salt).toString('utf8');
    out.push(step);
  }
  return out;
}

const WITH_MOUNT = `a :- from("${BASE}"), run("make")::mount_cache("/cache")::no_cache.`;

test('::no_cache with a cache mount: no ignore_cache, the nonce in the key, `[no-cache]` in the name', () => {
  const [step] = steps(WITH_MOUNT, { buildNonce: 'n1' });
  expect(step!.ignoreCache).toBe(false);
  expect(step!.name).toMatch(/\[no-cache\]$/);
  expect(JSON.parse(step!.salt!)).toEqual({ salt: null, nonce: 'n1' });
});

test('another nonce is another step; the same nonce the same bytes', () => {
  const one = steps(WITH_MOUNT, { buildNonce: 'n1' })[0]!.digest;
  expect(steps(WITH_MOUNT, { buildNonce: 'n1' })[0]!.digest).toBe(one);
  expect(steps(WITH_MOUNT, { buildNonce: 'n2' })[0]!.digest).not.toBe(one);
});

test('the nonce joins the other parts of the key', () => {
  const modusfile = `a :- from("${BASE}"), run("make")::mount_cache("/cache")::no_cache::cache_key("v2").`;
  const [step] = steps(modusfile, { buildNonce: 'n1', cacheKeyOf: () => ({ parts: [{ kind: 'key', value: 'v2' }], salt: 'S' }) });
  expect(JSON.parse(step!.salt!)).toEqual({ salt: 'S', nonce: 'n1' });
});

test('--no-cache and the no-cache filter keep cache mounts the same way', () => {
  expect(steps(WITH_MOUNT.replace('::no_cache', ''), { buildNonce: 'n1', noCache: { all: true, predicates: [] } })[0]!.ignoreCache).toBe(false);
  const filtered = steps(WITH_MOUNT.replace('::no_cache', ''), { buildNonce: 'n1', noCache: { all: false, predicates: ['a'] } })[0]!;
  expect(filtered.ignoreCache).toBe(false);
  expect(filtered.salt).toContain('n1');
});

test('a step without a cache mount, or a build without a nonce, ignores the cache as before', () => {
  const plain = steps(`a :- from("${BASE}"), run("date")::mount_tmpfs("/t")::no_cache.`, { buildNonce: 'n1' })[0]!;
  expect(plain).toMatchObject({ ignoreCache: true });
  expect(plain.salt).toBeUndefined();
  expect(steps(WITH_MOUNT)[0]!).toMatchObject({ ignoreCache: true });
});

test('a cached step with a cache mount gets no nonce', () => {
  const [step] = steps(WITH_MOUNT.replace('::no_cache', ''), { buildNonce: 'n1' });
  expect(step).toMatchObject({ ignoreCache: false });
  expect(step!.salt).toBeUndefined();
});

test('MODUS_EXPORT_ONLY keeps the nonce (the one solve of `modus build` has the same) and drops ignore_cache', () => {
  const nonce = steps(WITH_MOUNT, { buildNonce: 'n1' })[0]!;
  expect(steps(WITH_MOUNT, { buildNonce: 'n1', exportOnly: true })[0]!.digest).toBe(nonce.digest);
  expect(steps(`a :- from("${BASE}"), run("date")::no_cache.`, { buildNonce: 'n1', exportOnly: true })[0]!.ignoreCache).toBe(false);
});

test('::merge: the run with the cache mount gets the nonce, in both forms', () => {
  const modusfile = `a :- from("${BASE}"), (run("make")::mount_cache("/cache"), run("date"))::merge::no_cache.`;
  const script = steps(modusfile, { buildNonce: 'n1' });
  expect(script).toHaveLength(1);
  expect(script[0]).toMatchObject({ ignoreCache: false });
  expect(script[0]!.salt).toContain('n1');
  const [make, date] = steps(modusfile, { buildNonce: 'n1', mergeOp: true });
  expect(make).toMatchObject({ ignoreCache: false });
  expect(make!.salt).toContain('n1');
  expect(date).toMatchObject({ ignoreCache: true });
});
