/** `modus proof --cost available` asks the docker client the other commands use: --docker, else $MODUS_DOCKER, else docker. */
import { main } from '../../../frontend/cli/main';
import { fakeDockerSuite, type FakeSetup } from '../../support/fake-docker';

const setup = fakeDockerSuite({ 'ctx/Modusfile': 'app :- from("modus-test/absent:1").\napp :- from("scratch").\n' });

const inspected = (s: FakeSetup) => s.calls().filter((c) => c.cmd === 'other' && (c.args as string[]).includes('inspect'));

test('cost available asks $MODUS_DOCKER, and --docker when given', async () => {
  const viaEnv = setup();
  expect(await main(['proof', 'ctx', 'app', '--json', '--cost', 'available'], viaEnv.rec.io)).toBe(0);
  expect(inspected(viaEnv.s).length).toBeGreaterThan(0);
  const viaOption = setup();
  const code = await main(['proof', 'ctx', 'app', '--cost', 'available', '--docker', '/nonexistent/docker'], viaOption.rec.io);
  expect(code).toBe(0);
  expect(inspected(viaOption.s)).toEqual([]);
  // The unanswered lookup makes the image unavailable; scratch needs none: its proof is chosen.
  expect(viaOption.rec.stdout()).toContain('from("scratch")');
  expect(viaOption.rec.stderr()).toContain('missing  modus-test/absent:1');
  expect(viaOption.rec.stderr()).not.toContain('missing  scratch');
});
