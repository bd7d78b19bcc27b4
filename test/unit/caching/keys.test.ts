import { describeKey, parseClock, probeAnswer, probeId, stepCacheKey } from '../../../frontend/caching/keys';
import type { CacheControl } from '../../../frontend/planner/plan';

const control = (changes: Partial<CacheControl>): CacheControl => ({ noCache: false, keys: [], probes: [], ttlSeconds: [], ...changes });
const noProbes = { probeAnswers: new Map(), probeId: () => 'none', now: 7200 };

describe('stepCacheKey', () => {
  test('a step without cache operators has no salt: plain BuildKit caching', () => {
    expect(stepCacheKey(control({}), 0, noProbes)).toEqual({ parts: [] });
  });

  test('keys, then probe answers, then TTL buckets make the salt; the probe text for names is not part of it', () => {
    const probe = { command: 'git rev-parse HEAD', origin: { predicates: [] } } as unknown as CacheControl['probes'][number];
    const answers = new Map([['p', { digest: 'abc', short: '3f2a9c1' }]]);
    const key = stepCacheKey(control({ keys: ['v2'], probes: [probe], ttlSeconds: [3600] }), 4, { probeAnswers: answers, probeId: () => 'p', now: 7300 });
    expect(key.parts).toEqual([
      { kind: 'key', value: 'v2' },
      { kind: 'probe', command: 'git rev-parse HEAD', digest: 'abc', short: '3f2a9c1' },
      { kind: 'ttl', seconds: 3600, bucket: 2 },
    ]);
    expect(JSON.parse(key.salt!)).toEqual([
      { kind: 'key', value: 'v2' },
      { kind: 'probe', command: 'git rev-parse HEAD', digest: 'abc' },
      { kind: 'ttl', seconds: 3600, bucket: 2 },
    ]);
    expect(describeKey(key)).toBe('[key v2] [probe "3f2a9c1" abc] [ttl 1h #2]');
  });

  test('the TTL bucket changes when the clock crosses a multiple of the period, not before', () => {
    const at = (now: number) => stepCacheKey(control({ ttlSeconds: [60] }), 0, { ...noProbes, now }).salt;
    expect(at(120)).toBe(at(179));
    expect(at(180)).not.toBe(at(179));
  });

  test('a probe without an answer is an internal error, never a silent key', () => {
    const probe = { command: 'date', origin: { predicates: [] } } as unknown as CacheControl['probes'][number];
    expect(() => stepCacheKey(control({ probes: [probe] }), 0, noProbes)).toThrow(/internal: probe `date` has no answer/);
  });
});

test('probeAnswer: the digest of the whole output, the first non-empty line shortened for names', () => {
  const answer = probeAnswer(Buffer.from('\n  a rather long first line of output\nsecond\n'));
  expect(answer.digest).toMatch(/^[0-9a-f]{64}$/);
  expect(answer.short).toBe('a rather long first lin…');
  expect(probeAnswer(Buffer.from('x\n')).digest).not.toBe(probeAnswer(Buffer.from('x\ny\n')).digest);
});

test('probeId: the same command on another base, directory or env is another probe', () => {
  const id = probeId('ls', 1, '/a', [['K', 'v']]);
  expect(probeId('ls', 1, '/a', [['K', 'v']])).toBe(id);
  expect(new Set([probeId('ls', 2, '/a', [['K', 'v']]), probeId('ls', 1, '/b', [['K', 'v']]), probeId('ls', 1, '/a', [])]).has(id)).toBe(false);
});

test('parseClock: absent, whole seconds, or an error naming MODUS_CLOCK', () => {
  expect(parseClock(undefined)).toBeUndefined();
  expect(parseClock('')).toBeUndefined();
  expect(parseClock('3600')).toBe(3600);
  expect(parseClock('1.5')).toEqual({ error: 'invalid MODUS_CLOCK `1.5`: expected whole seconds since the epoch' });
});
