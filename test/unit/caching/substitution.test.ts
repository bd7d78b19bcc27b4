import { portableBases } from '../../../frontend/buildkit/find-substitutes';
import { cacheable, neededNodes } from '../../../frontend/caching/substitution';
import type { ImageConfig } from '../../../frontend/imagegen/config';
import { planOf } from '../../support/plan-of';

const BASE = 'modus-test/busybox:1';
const noCache = (all: boolean, predicates: string[] = []) => ({ all, predicates });

test('cacheable: a literal with no_cache anywhere inside, or under --no-cache, is never taken from the repository', () => {
  const plan = planOf(`img("a") :- from("${BASE}"), run("echo a").\nimg("b") :- from("${BASE}"), run("echo b")::no_cache.`, 'img(X)');
  const [a, b] = plan.outputs.map((o) => o.node) as [number, number];
  expect(cacheable(plan, a, noCache(false))).toBe(true);
  expect(cacheable(plan, b, noCache(false))).toBe(false);
  expect(cacheable(plan, a, noCache(true))).toBe(false);
  expect(cacheable(plan, a, noCache(false, ['img']))).toBe(false);
});

test('neededNodes: what a substituted output stands on is no longer needed', () => {
  const plan = planOf(`a :- from("${BASE}"), run("echo a"), run("echo a2").`, 'a');
  const output = plan.outputs[0]!.node;
  const all = neededNodes(plan, new Map());
  expect(all.size).toBeGreaterThan(2);
  expect(neededNodes(plan, new Map([[output, {}]]))).toEqual(new Set([output]));
});

test('portableBases pins a base by the digest of its configuration, whatever digest the daemon gave', () => {
  const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: ['sha256:1'] } } as ImageConfig;
  const one = portableBases(new Map([['busybox', { ref: 'docker.io/library/busybox:1@sha256:aaa', config }]]));
  const other = portableBases(new Map([['busybox', { ref: 'docker.io/library/busybox:1@sha256:bbb', config }]]));
  expect(one.get('busybox')!.ref).toBe(other.get('busybox')!.ref);
  expect(one.get('busybox')!.ref).toMatch(/^docker\.io\/library\/busybox:1@sha256:[0-9a-f]{64}$/);
});
