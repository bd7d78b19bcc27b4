/**
 * Running `::cache_probe(CMD)` commands: each runs fresh (never cached) on the image its operand
 * starts from, with that image's user, env and working directory and the build's network; its
 * standard output is read back and becomes part of the keys of the operand's steps. The probe is
 * never an input of those steps: only the digest of its answer is.
 */
import { probeJobs, type ProbeJob } from '../caching/probes';
import { probeAnswer, type ProbeAnswer } from '../caching/keys';
import { renderDiagnostics } from '../diagnostics/render';
import { FrontendError, type FrontendContext } from '../gateway';
import { runState, stepName, type GenerateOptions, type GeneratedImage } from '../imagegen/generate';
import { marshal, scratch } from '../llb';
import type { BuildPlan } from '../planner/plan';

const ANSWER_DIR = '/.modus-probe';

export async function runProbes(
  ctx: FrontendContext,
  plan: BuildPlan,
  images: readonly GeneratedImage[],
  options: GenerateOptions,
): Promise<Map<string, ProbeAnswer>> {
  const answers = new Map<string, ProbeAnswer>();
  await Promise.all(
    probeJobs(plan).map(async (job) => {
      const run = runState(images[job.base]!, job.cwd, job.env, options).run({
        args: ['/bin/sh', '-c', probeScript(job.command)],
        mounts: [{ dest: ANSWER_DIR, from: scratch() }],
        customName: stepName(job.origin, options.file),
        ignoreCache: true,
      });
      const definition = marshal(run.getMount(ANSWER_DIR), { platform: options.platform });
      const { ref } = await ctx.client.solve({ definition, evaluate: true });
      const status = Buffer.from(await ctx.client.readFile(ref, 'status')).toString('utf8').trim();
      if (status !== '0') {
        const errors = Buffer.from(await ctx.client.readFile(ref, 'errors').catch(() => new Uint8Array())).toString('utf8');
        throw probeFailure(job, status, errors, options);
      }
      answers.set(job.id, probeAnswer(await ctx.client.readFile(ref, 'answer')));
    }),
  );
  return answers;
}

/**
 * The probe's stdout is its answer. It always exits 0 so that a failure comes back to us with its
 * exit status and error output, to be reported at the Modusfile position (an exec failure would
 * only name the shell command); the error output is repeated on stderr for the progress log.
 */
function probeScript(command: string): string {
  return [
    `(${command}) >${ANSWER_DIR}/answer 2>${ANSWER_DIR}/errors`,
    'status=$?',
    `cat ${ANSWER_DIR}/errors >&2 2>/dev/null`,
    `echo $status >${ANSWER_DIR}/status`,
  ].join('; ');
}

const MAX_ERROR_CHARS = 4000;

function probeFailure(job: ProbeJob, status: string, errors: string, options: GenerateOptions): FrontendError {
  const trimmed = errors.trimEnd();
  const shown = trimmed.length > MAX_ERROR_CHARS ? `…${trimmed.slice(-MAX_ERROR_CHARS)}` : trimmed;
  const diagnostic = {
    severity: 'error' as const,
    message: `cache probe \`${job.command}\` failed with exit code ${status}` + (shown ? `; its error output:\n${shown}` : ' and wrote no error output'),
    ...(job.origin.span ? { span: job.origin.span } : {}),
  };
  return new FrontendError(renderDiagnostics([diagnostic], options.file));
}
