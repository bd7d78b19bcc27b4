// Cost `available` through docker build: a rule `base :- from(REGISTRY_IMAGE)` beside a rule that
// builds `base`, with the local registry (scripts/start-registry.sh, MODUS_TEST_REGISTRY).
// The registry image is removed from the local store after the push, so only the registry has it.
import { randomBytes } from 'crypto';
import { BUSYBOX_IMAGE, ON_CURRENT_DOCKER, describeE2e, dockerChecked, makeContext } from '../support';
import { FRONTEND_SUITE, buildFails, buildWithOutput, cat, removeBuiltImages, stepNames } from '../frontend/support';
import { buildImages } from '../build/cli';

const REGISTRY = process.env.MODUS_TEST_REGISTRY || 'localhost:5000';
const RUN_ID = randomBytes(4).toString('hex');
const PRESENT = `${REGISTRY}/modus-e2e/base-${RUN_ID}:1`;
const ABSENT = `${REGISTRY}/modus-e2e/never-pushed-${RUN_ID}:1`;

/** The build rule first: `first` and `height` (a tie) take it, `layers` takes the registry rule. */
function modusfile(registryImage: string): string {
  return [
    `base :- from("${BUSYBOX_IMAGE}"), run("echo built > /origin"), run("echo second > /second").`,
    `base :- from("${registryImage}").`,
    'app :- base, run("cat /origin > /app").',
    '',
  ].join('\n');
}

/** The same with the registry image's name computed at solve time: `from(f"NAME:${T}")`. */
function computedModusfile(registryImage: string): string {
  const colon = registryImage.lastIndexOf(':');
  return [
    `tag("${registryImage.slice(colon + 1)}").`,
    `base :- from("${BUSYBOX_IMAGE}"), run("echo built > /origin"), run("echo second > /second").`,
    `base :- tag(T), from(f"${registryImage.slice(0, colon)}:\${T}").`,
    'app :- base, run("cat /origin > /app").',
    '',
  ].join('\n');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The warning that ABSENT is not available: listed by buildx after the build on current BuildKit
 * (Warn, with the line of the `from` when known), a step named after it on v0.8.
 */
function expectUnavailableWarning(output: string, at?: { line: number; column: number }): void {
  const message = `image ${escapeRegExp(ABSENT)} is not available \\(.*\\); proofs using it are not chosen`;
  if (ON_CURRENT_DOCKER) {
    expect(output).toMatch(/\d+ warnings? found/);
    expect(output).toMatch(new RegExp(` - ${message}${at ? ` \\(line ${at.line}\\)` : ''}`));
    expect(stepNames(output).some((n) => n.includes('[modus] warning'))).toBe(false);
  } else {
    const position = at ? `Modusfile:${at.line}:${at.column}: ` : '';
    expect(stepNames(output)).toContainEqual(expect.stringMatching(new RegExp(`^\\[modus\\] warning: ${escapeRegExp(position)}${message}`)));
  }
}

async function registryAnswers(): Promise<boolean> {
  try {
    return (await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

describeE2e(
  'image caching: cost available',
  () => {
    beforeAll(async () => {
      if (!(await registryAnswers())) throw new Error(`no registry answers on ${REGISTRY} (run scripts/start-registry.sh)`);
      // The registry image says where it came from in /origin.
      const context = makeContext();
      const made = await buildWithOutput({ context, modusfile: `r :- from("${BUSYBOX_IMAGE}"), run("echo registry > /origin").\n`, target: 'r' });
      await dockerChecked(['tag', made.imageId, PRESENT]);
      await dockerChecked(['push', PRESENT]);
      await dockerChecked(['rmi', PRESENT]);
    });
    afterAll(removeBuiltImages);

    test('the registry image is chosen when it exists', async () => {
      const built = await buildWithOutput({ context: makeContext(), modusfile: modusfile(PRESENT), target: 'app', buildArgs: { MODUS_COST: 'available' } });
      expect(await cat(built.imageId, '/app')).toBe('registry\n');
    });

    test('the build rule is chosen when the image is absent, with a warning (Warn on current BuildKit, a step on v0.8)', async () => {
      const built = await buildWithOutput({ context: makeContext(), modusfile: modusfile(ABSENT), target: 'app', buildArgs: { MODUS_COST: 'available' } });
      expect(await cat(built.imageId, '/app')).toBe('built\n');
      expectUnavailableWarning(built.output, { line: 2, column: 9 });
    });

    test('a computed image name: the registry image is chosen when it exists', async () => {
      const built = await buildWithOutput({ context: makeContext(), modusfile: computedModusfile(PRESENT), target: 'app', buildArgs: { MODUS_COST: 'available' } });
      expect(await cat(built.imageId, '/app')).toBe('registry\n');
    });

    test('a computed image name that does not exist makes the build rule the proof, with a warning', async () => {
      const built = await buildWithOutput({ context: makeContext(), modusfile: computedModusfile(ABSENT), target: 'app', buildArgs: { MODUS_COST: 'available' } });
      expect(await cat(built.imageId, '/app')).toBe('built\n');
      expectUnavailableWarning(built.output);
    });

    test('modus build --cost available: a computed image name that does not exist makes the build rule the proof', async () => {
      const context = makeContext({ Modusfile: computedModusfile(ABSENT) });
      const images = await buildImages(context, 'app', ['--cost', 'available']);
      const id = images.get('app')?.image_id;
      expect(id).toBeTruthy();
      expect(await cat(id!, '/app')).toBe('built\n');
      await dockerChecked(['rmi', id!]).catch(() => undefined);
    });

    test('first and height build the rule written first; layers takes the registry image', async () => {
      const context = makeContext();
      const first = await buildWithOutput({ context, modusfile: modusfile(PRESENT), target: 'app', buildArgs: { MODUS_COST: 'first' } });
      const height = await buildWithOutput({ context, modusfile: modusfile(PRESENT), target: 'app', buildArgs: { MODUS_COST: 'height' } });
      const layers = await buildWithOutput({ context, modusfile: modusfile(PRESENT), target: 'app', buildArgs: { MODUS_COST: 'layers' } });
      expect(await cat(first.imageId, '/app')).toBe('built\n');
      expect(await cat(height.imageId, '/app')).toBe('built\n');
      expect(await cat(layers.imageId, '/app')).toBe('registry\n');
    });

    test('layers with the image absent fails: only `available` looks before choosing', async () => {
      const output = await buildFails({ context: makeContext(), modusfile: modusfile(ABSENT), target: 'app', buildArgs: { MODUS_COST: 'layers' } });
      expect(output).toContain(ABSENT);
    });
  },
  FRONTEND_SUITE,
);
