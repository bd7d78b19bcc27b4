/**
 * `modus bake [-f FILE] [--frontend IMAGE] [--tag TEMPLATE] [--build-arg K=V]… CONTEXT GOAL`:
 * solve GOAL and print a buildx bake file (JSON) that builds every solution as its own image
 * through the Modus frontend: `docker buildx bake -f FILE` takes it as it is.
 */
import * as path from 'node:path';
import { formatOptions, optionValue, optionValues, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from '../args';
import type { CliIO, CommandBody } from '../io';
import { bakeFile, bakeJson } from '../build/bake-file';
import { DEFAULT_FRONTEND } from '../build/docker';
import { solveBuildGoal } from '../build/load';
import { planTags } from '../build/tags';
import { BUILD_ARG_OPTION, MODUSFILE_OPTION, readGoalRequest, type GoalRequest } from '../goal-request';

const OPTIONS: readonly OptionSpec[] = [
  MODUSFILE_OPTION,
  { name: 'frontend', value: true, valueName: 'IMAGE', description: `the Modus frontend image, from a registry for current Docker (default: $MODUS_FRONTEND or ${DEFAULT_FRONTEND})` },
  { name: 'tag', alias: 't', value: true, repeatable: true, valueName: 'TEMPLATE', description: 'tags of every image, e.g. \'app:{0}-{1}\' ({predicate}, {args}, {0}, {1}, ...; repeatable)' },
  { ...BUILD_ARG_OPTION, description: 'a fact build_arg("K", "V"), in every target\'s args (repeatable)' },
];

const USAGE = `Usage: modus bake [OPTIONS] CONTEXT GOAL

Solves GOAL against the Modusfile (default CONTEXT/Modusfile) and prints a bake file (JSON) on
stdout: one target per solution, building it through the Modus frontend, and a \`default\` group of
them all. Build them in one invocation, shared steps once:

  modus bake --frontend localhost:5000/modus-frontend:1 -t 'app:{0}' . 'app(X)' > modus-bake.json
  docker buildx bake -f modus-bake.json

Options:
${formatOptions(OPTIONS)}`;

interface BakeCommandRequest extends GoalRequest {
  dockerfile: string;
  frontend: string;
  tags: string[];
}

function request(args: ParsedArgs, io: CliIO): BakeCommandRequest {
  const goal = readGoalRequest('bake', args, 'context-required');
  return {
    ...goal,
    dockerfile: dockerfileInContext(optionValue(args, 'modusfile'), goal.context, io.cwd),
    frontend: optionValue(args, 'frontend') ?? (io.env.MODUS_FRONTEND || DEFAULT_FRONTEND),
    tags: optionValues(args, 'tag'),
  };
}

/** Bake reads `dockerfile` relative to the context: `-f FILE` is rewritten so, the default is `Modusfile`. */
export function dockerfileInContext(fileOption: string | undefined, context: string, cwd: string): string {
  if (fileOption === undefined) return 'Modusfile';
  if (path.isAbsolute(fileOption)) return fileOption;
  return path.relative(path.resolve(cwd, context), path.resolve(cwd, fileOption)).split(path.sep).join('/');
}

async function runBake(argv: readonly string[], io: CliIO): Promise<number> {
  const req = request(parseArgs(argv, OPTIONS), io);
  const solved = await solveBuildGoal(req, io);
  if (!solved) return 1;
  const images = solved.solutions.map((s) => ({ literal: s.text, predicate: s.predicate, args: s.args }));
  const tagPlan = planTags(req.tags, images);
  if ('error' in tagPlan) throw new UsageError(tagPlan.error);
  const file = bakeFile({
    images: images.map((image, i) => ({ ...image, tags: tagPlan.tags[i]! })),
    context: req.context,
    dockerfile: req.dockerfile,
    frontend: req.frontend,
    buildArgs: req.buildArgs,
  });
  io.stdout(bakeJson(file));
  return 0;
}

/** Loaded when the command runs (name and summary: `frontend/cli/main.ts`). */
export const bakeCommand: CommandBody = {
  usage: USAGE,
  run: runBake,
};
