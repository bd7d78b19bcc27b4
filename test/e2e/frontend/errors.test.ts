// Every kind of user error ends the docker build with a message that names the Modusfile (or
// goal) line and column; the step names in the progress output name their Modus source.
import { randomBytes } from 'node:crypto';
import { ON_CURRENT_DOCKER, describeE2e, makeContext } from '../support';
import { FROM_BUSYBOX, FRONTEND_SUITE, buildFails, buildWithOutput, removeBuiltImages, stepNames } from './support';

/**
 * How docker introduces the frontend's error: 20.10's `docker build`, buildx (which now and then
 * wraps it as its own build function's error instead), buildx 0.13 (Docker 26).
 */
const ERROR_MARKERS = [
  'rpc error: code = Unknown desc = ',
  'ERROR: failed to build: failed to solve: ',
  'ERROR: failed to build: failed to run Build function: ',
  'ERROR: failed to solve: ',
];
/** Docker 26 names the frontend image before the message. */
const SYNTAX_PREFIX = /^failed with build-arg:BUILDKIT_SYNTAX = \S+: /;

/** The message docker prints last: what the frontend Returned as its error. */
function finalMessage(output: string): string {
  for (const marker of ERROR_MARKERS) {
    const at = output.lastIndexOf(marker);
    if (at >= 0) return output.slice(at + marker.length).replace(SYNTAX_PREFIX, '');
  }
  throw new Error(`no frontend error in:\n${output}`);
}

describeE2e(
  'frontend: errors and step names',
  () => {
    afterAll(removeBuiltImages);

    test('progress names each step after its Modus source and position', async () => {
      // A nonce keeps these steps apart from concurrent builds (BuildKit shows a shared step
      // under the name its first requester gave it).
      const nonce = randomBytes(6).toString('hex');
      const modusfile = [
        `base :- ${FROM_BUSYBOX}.`,
        'app(mode) :-',
        '  base,',
        `  run(f"echo \${mode} ${nonce} > /mode"),`,
        '  copy("file", "/file").',
        '',
      ].join('\n');
      const { output } = await buildWithOutput({ context: makeContext({ file: nonce }), modusfile, target: 'app("prod")' });
      expect(stepNames(output)).toEqual(
        expect.arrayContaining([`app("prod") › run("echo prod ${nonce} > /mode") Modusfile:4:3`, 'app("prod") › copy("file", "/file") Modusfile:5:3']),
      );
    });

    test('syntax, check and goal errors', async () => {
      const context = makeContext();
      const cases: [string, string, RegExp][] = [
        [`app :- ${FROM_BUSYBOX}, run("x")\nother :- ${FROM_BUSYBOX}.\n`, 'app', /^Modusfile:2:1: error: expected /],
        [`app :- run("x"), ${FROM_BUSYBOX}.\n`, 'app', /^Modusfile:1:8: error: /],
        [`app :- ${FROM_BUSYBOX}::frobnicate("x").\n`, 'app', /^Modusfile:1:\d+: error: .*frobnicate/],
        [`app(x) :- ${FROM_BUSYBOX}, run(x).\n`, 'app(X)', /^Modusfile:1:\d+: error: insufficient groundness/],
        [`app :- ${FROM_BUSYBOX}.\n`, 'app((', /^goal:1:5: error: /],
        [`app :- ${FROM_BUSYBOX}.\n`, 'app, extra junk', /^goal:1:\d+: error: /],
      ];
      const messages = await Promise.all(
        cases.map(async ([modusfile, target], i) => {
          const file = `Modusfile.${i}`;
          const output = await buildFails({ context, modusfile, target, file });
          return finalMessage(output).replace(/^Modusfile\.\d+/gm, 'Modusfile');
        }),
      );
      messages.forEach((message, i) => expect(message).toMatch(cases[i]![2]));
      // The rendered diagnostic shows the line and a caret under the column.
      expect(messages[1]).toContain(`   1 | app :- run("x"), ${FROM_BUSYBOX}.\n     |        ^`);
    });

    test('no solution names the Modusfile line that failed', async () => {
      const modusfile = ['v("1").', `app(x) :- v(x), ${FROM_BUSYBOX}.`, ''].join('\n');
      const message = finalMessage(await buildFails({ context: makeContext(), modusfile, target: 'app("9")' }));
      expect(message).toMatch(/^goal `app\("9"\)` has no solution\n/);
      expect(message).toMatch(/Modusfile:2:11: warning: .*v\("9"\)/);
    });

    test('plan errors and unresolvable bases are positioned', async () => {
      const context = makeContext();
      const modusfile = [
        `abs :- ${FROM_BUSYBOX}, copy("/etc/passwd", "/x").`,
        `outside :- ${FROM_BUSYBOX}, copy("../x", "/x").`,
        'missing :- from("modus-e2e/does-not-exist:1").',
        '',
      ].join('\n');
      const [abs, outside, missing] = await Promise.all(
        ['abs', 'outside', 'missing'].map((target, i) => buildFails(i === 0 ? { context, modusfile, target } : { context, target })),
      );
      expect(finalMessage(abs!)).toMatch(/^Modusfile:1:\d+: error: copy source must be a relative path inside the build context/);
      expect(finalMessage(outside!)).toMatch(/^Modusfile:2:\d+: error: copy source must be a relative path inside the build context/);
      expect(finalMessage(missing!)).toMatch(/^Modusfile:3:12: error: cannot resolve base image `modus-e2e\/does-not-exist:1`/);
    });

    test('a failing step names its Modusfile position: run, copy, ::copy, merge', async () => {
      const context = makeContext({ file: 'x\n' });
      const modusfile = [
        `failrun :- ${FROM_BUSYBOX},`,
        '  run("echo fine"),',
        '  run("echo failing-step && exit 3").',
        `failcopy :- ${FROM_BUSYBOX}, copy("missing-file", "/x").`,
        `imgcopy :- ${FROM_BUSYBOX}, ${FROM_BUSYBOX}::copy("/missing", "/x").`,
        `merged :- ${FROM_BUSYBOX}, (run("true"), run("exit 4"), run("true"))::merge.`,
        `mergecopy :- ${FROM_BUSYBOX}, (run("true"), ${FROM_BUSYBOX}::copy("/missing", "/x"))::merge.`,
        '',
      ].join('\n');
      const targets = ['failrun', 'failcopy', 'imgcopy', 'merged', 'mergecopy'];
      const outputs = await Promise.all(targets.map((target, i) => buildFails(i === 0 ? { context, modusfile, target } : { context, target })));
      const messages = outputs.map(finalMessage);
      expect(messages[0]).toMatch(/^Modusfile:3:3: error: step `failrun › run\("echo failing-step && exit 3"\)` failed: .*exit code: 3/);
      expect(outputs[0]).toContain('failing-step');
      expect(messages[1]).toMatch(/^Modusfile:4:\d+: error: step `failcopy › copy\("missing-file", "\/x"\)` failed: .*missing-file.*not found/);
      expect(messages[2]).toMatch(/^Modusfile:5:\d+: error: step `imgcopy › ::copy\("\/missing", "\/x"\)` failed: .*missing: no such file or directory/);
      if (ON_CURRENT_DOCKER) {
        // MergeOp: the steps of a ::merge are vertices of their own, so the failing one is named.
        expect(messages[3]).toMatch(/^Modusfile:6:\d+: error: step `merged › run\("exit 4"\)` failed: .*exit code: 4/);
        expect(messages[4]).toMatch(/^Modusfile:7:\d+: error: step `mergecopy › (::merge|::copy\("\/missing", "\/x"\))` failed: .*missing/);
      } else {
        expect(messages[3]).toMatch(/^Modusfile:6:\d+: error: step `merged › ::merge` failed: /);
        expect(outputs[3]).toContain('run("exit 4") failed with exit code 4');
        expect(messages[4]).toMatch(/^Modusfile:7:\d+: error: step `mergecopy › ::merge` failed: /);
        expect(outputs[4]).toContain('::copy("/missing", "/x"): source not found');
      }
    });

    test('bad options are errors that name the option', async () => {
      const context = makeContext();
      const modusfile = `app :- ${FROM_BUSYBOX}.\n`;
      const [cost, budget] = await Promise.all([
        buildFails({ context, modusfile, target: 'app', buildArgs: { MODUS_COST: 'bogus' } }),
        buildFails({ context, target: 'app', buildArgs: { MODUS_BUDGET: '-3' } }),
      ]);
      expect(finalMessage(cost)).toMatch(/^invalid MODUS_COST `bogus`/);
      expect(finalMessage(budget)).toMatch(/^invalid MODUS_BUDGET `-3`/);
    });
  },
  FRONTEND_SUITE,
);
