import {
  describeReason,
  explainBuild,
  explainCache,
  explainStateKey,
  parseProgress,
  parseStepName,
  renderExplanations,
  type StepRecord,
} from '../../../frontend/caching/explain';

/** A plain progress output shaped like Docker 20.10's BuildKit prints it. */
function progress(vertices: [name: string, status: 'CACHED' | 'DONE' | 'ERROR'][]): string {
  return vertices
    .map(([name, status], i) => {
      const n = i + 1;
      const end = status === 'CACHED' ? 'CACHED' : status === 'DONE' ? 'DONE 0.3s' : 'ERROR: process "/bin/sh -c false" did not complete';
      return `#${n} ${name}\n#${n} sha256:${'ab'.repeat(32)}\n${status === 'DONE' ? `#${n} 0.201 some output\n` : ''}#${n} ${end}\n`;
    })
    .join('\n');
}

const FROM = 'app › from("modus-test/busybox:1") Modusfile:1:8';
const SIBLING = 'app › run("echo sibling > /s") Modusfile:2:3';
const PROBE = 'app › ::cache_probe("wget -q -O - http://127.0.0.1:1/d") Modusfile:3:3';
const FETCH = 'app › run("wget -q -O /d http://127.0.0.1:1/d") Modusfile:3:4';
const AFTER = 'app › run("echo after > /a") Modusfile:4:3';

describe('parseStepName', () => {
  test('a name without a key suffix is kept whole', () => {
    expect(parseStepName(SIBLING)).toEqual({ name: SIBLING, parts: [] });
  });

  test('key, probe, ttl and no-cache parts come back in order', () => {
    const full = `${FETCH} [key v1 beta] [probe "3f2a9c1\\tHEAD \\"x\\"" 2c8b08da5ce6] [ttl 1h #13560] [no-cache]`;
    expect(parseStepName(full)).toEqual({
      name: FETCH,
      parts: [
        { kind: 'key', value: 'v1 beta' },
        { kind: 'probe', short: '3f2a9c1\tHEAD "x"', digest: '2c8b08da5ce6' },
        { kind: 'ttl', duration: '1h', bucket: 13560 },
        { kind: 'no-cache' },
      ],
    });
  });

  test('brackets inside the Modus text are not mistaken for key parts', () => {
    const name = 'app › run("echo [key x]") Modusfile:2:3';
    expect(parseStepName(name)).toEqual({ name, parts: [] });
  });
});

describe('parseProgress', () => {
  test('Modus steps with their status; BuildKit internals are left out', () => {
    const output = progress([
      ['[internal] load build definition from Modusfile', 'DONE'],
      ['[modus] resolve image modus-test/busybox:1', 'DONE'],
      [FROM, 'CACHED'],
      [SIBLING, 'CACHED'],
      [PROBE, 'DONE'],
      ['mkfile /salt', 'DONE'],
      [`${FETCH} [probe "one" 2c8b08da5ce6]`, 'DONE'],
      [`${AFTER} [key v1]`, 'ERROR'],
      ['exporting to image', 'DONE'],
    ]);
    expect(parseProgress(output)).toEqual<StepRecord[]>([
      { name: FROM, parts: [], status: 'cached', probe: false, base: true },
      { name: SIBLING, parts: [], status: 'cached', probe: false, base: false },
      { name: PROBE, parts: [], status: 'run', probe: true, base: false },
      { name: FETCH, parts: [{ kind: 'probe', short: 'one', digest: '2c8b08da5ce6' }], status: 'run', probe: false, base: false },
      { name: AFTER, parts: [{ kind: 'key', value: 'v1' }], status: 'failed', probe: false, base: false },
    ]);
  });

  test('a vertex whose header repeats (interleaved output) is one step; CACHED wins over DONE', () => {
    const output = `#5 ${SIBLING}\n#5 0.1 a\n\n#6 ${AFTER}\n#6 DONE 0.1s\n\n#5 ${SIBLING}\n#5 CACHED\n#5 DONE 0.0s\n`;
    const records = parseProgress(output);
    expect(records.map((r) => [r.name, r.status])).toEqual([
      [SIBLING, 'cached'],
      [AFTER, 'run'],
    ]);
  });

  test('a step with no final status (canceled build) is left out', () => {
    expect(parseProgress(`#3 ${SIBLING}\n#3 0.1 still running\n`)).toEqual([]);
  });
});

function record(name: string, status: StepRecord['status'], parts: StepRecord['parts'] = []): StepRecord {
  return { name, parts, status, probe: name.includes('::cache_probe('), base: name.includes('› from(') };
}

function reasonsOf(previous: StepRecord[] | undefined, current: StepRecord[]): string[][] {
  return explainCache(previous, current).map((e) => e.reasons.map(describeReason));
}

describe('explainCache', () => {
  const one = { kind: 'probe' as const, short: 'one', digest: '2c8b08da5ce6' };
  const two = { kind: 'probe' as const, short: 'two', digest: '27dd8ed44a83' };

  test('reused, probe runs, base image, first build', () => {
    const current = [record(FROM, 'run'), record(SIBLING, 'cached'), record(PROBE, 'run'), record(FETCH, 'run', [one])];
    expect(reasonsOf(undefined, current)).toEqual([
      ['base image (a source: resolved, never run)'],
      ['reused (CACHED)'],
      ['probe: runs fresh every build'],
      ['run: no previous build to compare with'],
    ]);
  });

  test('a changed probe answer is shown old → new', () => {
    const reasons = reasonsOf([record(FETCH, 'run', [one])], [record(FETCH, 'run', [two])]);
    expect(reasons).toEqual([['run: probe answer changed ("one" 2c8b08da5ce6 → "two" 27dd8ed44a83)']]);
  });

  test('a changed TTL bucket and a changed key are both reported', () => {
    const before = [record(AFTER, 'cached', [{ kind: 'key', value: 'v1' }, { kind: 'ttl', duration: '1h', bucket: 10 }])];
    const after = [record(AFTER, 'run', [{ kind: 'key', value: 'v2' }, { kind: 'ttl', duration: '1h', bucket: 11 }])];
    expect(reasonsOf(before, after)).toEqual([['run: TTL bucket changed (1h #10 → #11)', 'run: cache key changed (v1 → v2)']]);
  });

  test('a key added or removed is a changed key', () => {
    expect(reasonsOf([record(AFTER, 'cached')], [record(AFTER, 'run', [{ kind: 'key', value: 'v1' }])])).toEqual([
      ['run: cache key changed (none → v1)'],
    ]);
  });

  test('same key parts but run: an input changed; no-cache says so; unknown step: new', () => {
    const previous = [record(SIBLING, 'cached'), record(FETCH, 'cached', [one])];
    const current = [record(SIBLING, 'run', [{ kind: 'no-cache' }]), record(FETCH, 'run', [one]), record(AFTER, 'run')];
    expect(reasonsOf(previous, current)).toEqual([
      ['run: no-cache'],
      ['run: an input changed (an earlier step, a copied file or the base image)'],
      ['run: a new step (not in the previous build)'],
    ]);
  });

  test('steps are matched across an edit that moved their position', () => {
    const moved = FETCH.replace('Modusfile:3:4', 'Modusfile:9:4');
    expect(reasonsOf([record(FETCH, 'run', [one])], [record(moved, 'run', [two])])).toEqual([
      ['run: probe answer changed ("one" 2c8b08da5ce6 → "two" 27dd8ed44a83)'],
    ]);
  });

  test('a failed step is reported as failed', () => {
    expect(reasonsOf(undefined, [record(AFTER, 'failed')])).toEqual([['failed']]);
  });
});

describe('explainBuild and rendering', () => {
  test('keeps the records per Modusfile and literal, in a stable key order, for the next build', () => {
    const first = progress([[`${FETCH} [probe "one" 2c8b08da5ce6]`, 'DONE']]);
    const second = progress([[`${FETCH} [probe "two" 27dd8ed44a83]`, 'DONE']]);
    const other = { [explainStateKey('/b/Modusfile', 'x')]: [record(SIBLING, 'cached')] };
    const a = explainBuild(other, '/a/Modusfile', 'app', first);
    expect(Object.keys(a.state)).toEqual([explainStateKey('/a/Modusfile', 'app'), explainStateKey('/b/Modusfile', 'x')]);
    const b = explainBuild(a.state, '/a/Modusfile', 'app', second);
    expect(renderExplanations(b.explanations)).toBe(
      `${FETCH}\n    run: probe answer changed ("one" 2c8b08da5ce6 → "two" 27dd8ed44a83)\n`,
    );
    expect(JSON.parse(JSON.stringify(b.state))).toEqual(b.state);
  });

  test('the same inputs give the same bytes', () => {
    const output = progress([[SIBLING, 'CACHED'], [`${AFTER} [key v1]`, 'DONE']]);
    const render = () => renderExplanations(explainBuild({}, '/a/Modusfile', 'app', output).explanations);
    expect(render()).toBe(render());
  });
});
