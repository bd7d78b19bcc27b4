import { probeIdentity, probeJobs } from '../../../frontend/caching/probes';
import { planOf } from '../../support/plan-of';

const BASE = 'modus-test/busybox:1';

test('one job per distinct probe: the same command on the same image in the same place runs once', () => {
  const plan = planOf(
    `img("a") :- from("${BASE}"), (run("echo a"), run("echo b"))::cache_probe("cat /etc/version").
     img("b") :- from("${BASE}"), run("echo c")::cache_probe("cat /etc/version").
     img("c") :- from("${BASE}"), run("echo d")::in_workdir("/srv")::cache_probe("cat /etc/version").`,
    'img(X)',
  );
  const jobs = probeJobs(plan);
  expect(jobs.map((j) => j.command)).toEqual(['cat /etc/version', 'cat /etc/version']);
  // '': the image's own working directory; in_workdir gives the probe its directory.
  expect(jobs.map((j) => j.cwd).sort()).toEqual(['', '/srv']);
  expect(new Set(jobs.map((j) => j.base)).size).toBe(1);
  expect(plan.nodes[jobs[0]!.base]!.kind).toBe('from');
});

test('probeIdentity gives every step under one probe the id of its job', () => {
  const plan = planOf(`a :- from("${BASE}"), (run("echo a"), run("echo b"))::cache_probe("date +%F").`, 'a');
  const idOf = probeIdentity(plan);
  const [job] = probeJobs(plan);
  const ids = plan.nodes.flatMap((node, step) => ('cache' in node ? node.cache.probes.map((p) => idOf(p, step)) : []));
  expect(ids.length).toBe(2);
  expect(new Set(ids)).toEqual(new Set([job!.id]));
});

test('a plan without probes has no jobs', () => {
  expect(probeJobs(planOf(`a :- from("${BASE}"), run("true").`, 'a'))).toEqual([]);
});
