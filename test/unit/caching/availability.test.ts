/** Cost `available`: resolution (memo, bound, timeout) and the proof the solver then chooses. */
import { SourceFile } from '../../../grammar/source';
import { loadProgramText, solveGoal } from '../../../frontend/pipeline';
import { literalText } from '../../../frontend/language';
import type { CostFunction, ProofNode } from '../../../frontend/solver/proof';
import {
  availabilityLookup,
  availabilityReport,
  constantFromRefs,
  ImageAvailability,
  solveWithAvailability,
  type ImageResolver,
} from '../../../frontend/caching/availability';

const REGISTRY_IMAGE = 'localhost:5000/team/base:1';

// The build rule comes first, so `first` and `height` (a tie) pick it; `layers` picks the
// registry rule (no layer to build); `available` picks the registry rule only when it exists.
const PROGRAM = [
  'base :- from("modus-test/busybox:1"), run("echo 1 > /a"), run("echo 2 > /b").',
  `base :- from("${REGISTRY_IMAGE}").`,
  'app :- base, run("echo app > /app").',
  'other(V) :- from(f"x/${V}"), run("true").',
  '',
].join('\n');

function load(text = PROGRAM) {
  const loaded = loadProgramText(new SourceFile('Modusfile', text));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.program!;
}

function fromsOf(node: ProofNode): string[] {
  const own = node.literal.predicate === 'from' ? [literalText(node.literal)] : [];
  return own.concat(...node.children.map(fromsOf));
}

function chosenBase(cost: CostFunction, isAvailable?: (ref: string) => boolean | undefined) {
  const solved = solveGoal(load(), 'app', { cost, forBuild: true, ...(isAvailable ? { isAvailable } : {}) });
  return { froms: solved.solutions.flatMap((s) => fromsOf(s.solution.proof)), diagnostics: solved.diagnostics };
}

describe('the proof chosen per cost function', () => {
  test('first and height choose the build rule, layers the registry rule', () => {
    expect(chosenBase('first').froms).toEqual(['from("modus-test/busybox:1")']);
    expect(chosenBase('height').froms).toEqual(['from("modus-test/busybox:1")']);
    expect(chosenBase('layers').froms).toEqual([`from("${REGISTRY_IMAGE}")`]);
  });

  test('available: the registry image when it exists, the build rule when it does not', () => {
    const present = availabilityLookup([{ ref: REGISTRY_IMAGE, available: true }, { ref: 'modus-test/busybox:1', available: true }]);
    expect(chosenBase('available', present).froms).toEqual([`from("${REGISTRY_IMAGE}")`]);
    const absent = availabilityLookup([{ ref: REGISTRY_IMAGE, available: false }, { ref: 'modus-test/busybox:1', available: true }]);
    expect(chosenBase('available', absent).froms).toEqual(['from("modus-test/busybox:1")']);
  });

  test('available: no image at all gives no solution, with the unavailable images as reasons', () => {
    const none = () => false;
    const { froms, diagnostics } = chosenBase('available', none);
    expect(froms).toEqual([]);
    expect(diagnostics.map((d) => d.message).join('\n')).toContain(`image "${REGISTRY_IMAGE}" is not available`);
  });

  test('the choice is the same on every run', () => {
    const absent = availabilityLookup([{ ref: REGISTRY_IMAGE, available: false }]);
    const runs = [1, 2, 3].map(() => JSON.stringify(chosenBase('available', absent).froms));
    expect(new Set(runs).size).toBe(1);
  });
});

describe('constantFromRefs', () => {
  test('distinct constant references, sorted; computed ones are left out', () => {
    expect(constantFromRefs(load().ir)).toEqual([REGISTRY_IMAGE, 'modus-test/busybox:1']);
  });
});

describe('scratch', () => {
  test('is never looked up and always available', async () => {
    const text = 'app :- from("missing/base:1"), run("true").\napp :- from("scratch").\n';
    const program = load(text);
    expect(constantFromRefs(program.ir)).toEqual(['missing/base:1']);
    const asked: string[] = [];
    const availability = new ImageAvailability(async (ref) => {
      asked.push(ref);
      throw new Error('not found');
    });
    const { result, resolutions } = await solveWithAvailability(availability, program.ir, (isAvailable) =>
      solveGoal(program, 'app', { cost: 'available', forBuild: true, isAvailable }),
    );
    expect(asked).toEqual(['missing/base:1']);
    expect(resolutions.map((r) => r.ref)).toEqual(['missing/base:1']);
    expect(result.solutions.flatMap((s) => fromsOf(s.solution.proof))).toEqual(['from("scratch")']);
    expect(availabilityLookup([])('scratch')).toBe(true);
  });
});

describe('ImageAvailability', () => {
  test('memoises: each reference is resolved once', async () => {
    const calls: string[] = [];
    const resolver: ImageResolver = async (ref) => {
      calls.push(ref);
      return { digest: `sha256:${ref.length}` };
    };
    const availability = new ImageAvailability(resolver);
    const results = await availability.checkAll(['a', 'b', 'a']);
    await availability.check('b');
    expect(calls).toEqual(['a', 'b']);
    expect(results.map((r) => r.available)).toEqual([true, true, true]);
    expect(results[0]!.digest).toBe('sha256:1');
  });

  test('bounds the resolutions in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const resolver: ImageResolver = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return {};
    };
    const availability = new ImageAvailability(resolver, { concurrency: 2 });
    await availability.checkAll(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(most).toBe(2);
  });

  test('a failure or a timeout makes the image unavailable, with the reason', async () => {
    const resolver: ImageResolver = (ref) =>
      ref === 'slow' ? new Promise(() => undefined) : Promise.reject(new Error('failed to resolve:\n  not found'));
    const availability = new ImageAvailability(resolver, { timeoutMs: 20 });
    const [slow, missing] = await availability.checkAll(['slow', 'missing']);
    expect(slow).toEqual({ ref: 'slow', available: false, reason: 'no answer within 20 ms' });
    expect(missing).toEqual({ ref: 'missing', available: false, reason: 'failed to resolve: not found' });
  });

  test('the report lists images sorted, found and missing', () => {
    expect(
      availabilityReport([
        { ref: 'z', available: false, reason: 'not found' },
        { ref: 'a', available: true, digest: 'sha256:1' },
      ]),
    ).toEqual(['found    a (sha256:1)', 'missing  z: not found']);
  });

  test('the lookup leaves unknown references undefined', () => {
    const lookup = availabilityLookup([{ ref: 'a', available: false }]);
    expect(lookup('a')).toBe(false);
    expect(lookup('b')).toBeUndefined();
  });
});
