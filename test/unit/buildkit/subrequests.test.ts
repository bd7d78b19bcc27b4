// Subrequests (`requestid`) through the whole frontend against the fake gateway: the answer is
// Returned as metadata without building; an unknown request is a named, typed error.
import { join } from 'node:path';
import { bundleForTest, runWithFakeGateway } from '../../support/fake-gateway';

let script: string;
beforeAll(async () => {
  script = await bundleForTest(join(__dirname, '../../../frontend/main.ts'));
}, 60_000);

const MODUSFILE = '# An app.\napp(mode) :- from("alpine"), build_arg("V", V), run(f"echo ${V} ${mode}").\n';

function call(requestid: string, extra: Record<string, string> = {}, modusfile = MODUSFILE) {
  return runWithFakeGateway({
    script,
    opts: { filename: 'Modusfile', requestid, 'frontend.caps': 'moby.buildkit.frontend.subrequests', ...extra },
    onSolve: () => ({ ref: 'modusfile', files: { Modusfile: modusfile } }),
  });
}

const meta = (r: Awaited<ReturnType<typeof call>>, key: string) => Buffer.from(r.returned!.result!.metadata[key]).toString('utf8');

test('targets: metadata only, no image solved', async () => {
  const r = await call('frontend.targets');
  expect(r.returned?.error).toBeUndefined();
  expect(JSON.parse(meta(r, 'result.json')).targets[0]).toMatchObject({ name: 'app(mode)', description: 'An app.' });
  expect(meta(r, 'result.txt')).toBe('TARGET    DESCRIPTION\napp(mode) An app.\n');
  expect(r.solves).toHaveLength(1); // reading the Modusfile
});

test('outline of the target: its build args with the values given', async () => {
  const r = await call('frontend.outline', { target: 'app("x")', 'build-arg:V': '7' });
  expect(JSON.parse(meta(r, 'result.json')).args).toEqual([expect.objectContaining({ name: 'V', value: '7' })]);
});

test('lint: status 1 with a finding', async () => {
  const r = await call('frontend.lint', {}, 'a(X) :- from("alpine").\n');
  expect(meta(r, 'result.statuscode')).toBe('1');
  expect(JSON.parse(meta(r, 'result.json')).warnings[0].ruleName).toBe('SingletonVariable');
});

test('an unknown request is an error naming it, with the Subrequest typed detail', async () => {
  const r = await call('frontend.unknown');
  expect(r.returned?.error?.message).toBe('the Modus frontend answers outline, targets, lint, subrequests.describe (--call=check is lint), not frontend.unknown');
  const detail = r.returned!.error!.details![0]!;
  expect(detail.type_url).toBe('github.com/moby/buildkit/errdefs.Subrequest+json');
  expect(JSON.parse(Buffer.from(detail.value).toString('utf8'))).toEqual({ name: 'frontend.unknown' });
});
