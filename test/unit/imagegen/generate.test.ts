import { SourceFile } from '../../../grammar/source';
import { generateImages, type GeneratedImage, type GenerateOptions } from '../../../frontend/imagegen/generate';
import { scratchConfig } from '../../../frontend/imagegen/config';
import { local, marshal } from '../../../frontend/llb';
import { decodeMessage } from '../../../proto/schema';
import { planOf } from '../../support/plan-of';

const BASE = 'modus-test/busybox:1';
const platform = { os: 'linux', architecture: 'amd64' };

function options(modusfile: string): GenerateOptions {
  const config = { ...scratchConfig(platform), config: { Env: ['PATH=/bin'], WorkingDir: '/' } };
  return {
    platform,
    network: 'none',
    noCache: { all: false, predicates: [] },
    context: local('context'),
    bases: new Map([[BASE, { ref: `docker.io/${BASE}@sha256:${'0'.repeat(64)}`, config }]]),
    file: new SourceFile('Modusfile', modusfile),
  };
}

/** The image of the goal's (first) output: generateImages gives one per plan node. */
function outputImage(modusfile: string, goal: string): GeneratedImage {
  const plan = planOf(modusfile, goal);
  return generateImages(plan, options(modusfile))[plan.outputs[0]!.node]!;
}

/** The ops of an image's filesystem, decoded, dependencies first (the last is the terminal). */
function ops(modusfile: string, goal: string): Record<string, any>[] {
  return marshal(outputImage(modusfile, goal).fs, { platform }).def.map((bytes) => decodeMessage('pb.Op', bytes) as Record<string, any>);
}

test('from, run and set_env: a pinned image source and an exec with the env and working directory', () => {
  const modusfile = `a :- from("${BASE}")::set_env("GREETING", "hi"), run("echo $GREETING")::in_workdir("/srv").`;
  const [source, exec] = ops(modusfile, 'a');
  expect(source!.source.identifier).toBe(`docker-image://docker.io/${BASE}@sha256:${'0'.repeat(64)}`);
  expect(exec!.exec.meta).toMatchObject({ args: ['/bin/sh', '-c', 'echo $GREETING'], cwd: '/srv', env: ['PATH=/bin', 'GREETING=hi'] });
  expect(exec!.exec.network).toBe(2);
});

test('the configuration follows the image operators and labels the literal', () => {
  const modusfile = `a :- from("${BASE}")::set_workdir("/app")::set_cmd(["run", "me"]).`;
  const image = outputImage(modusfile, 'a');
  expect(image.config.config).toMatchObject({ WorkingDir: '/app', Cmd: ['run', 'me'] });
  expect(Object.values(image.config.config.Labels ?? {})).toContain('a');
});

test('the same plan gives the same LLB bytes', () => {
  const modusfile = `a :- from("${BASE}"), run("echo a"), copy(".", "/src").`;
  const once = (): Uint8Array[] => marshal(outputImage(modusfile, 'a').fs, { platform }).def;
  expect(once()).toEqual(once());
});
