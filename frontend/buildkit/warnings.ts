/**
 * The build's warnings (the checks' warnings, images that are not available), shown the way the
 * daemon can: through the gateway's Warn call where it has `gateway.warnings` (BuildKit >= 0.10:
 * `docker buildx build` lists them after the build, with a snippet of the Modusfile), otherwise
 * as a progress step each whose name is the warning (BuildKit v0.8 shows nothing else).
 */
import type { SourceFile, Span } from '../../grammar/source';
import { decodeMessage } from '../../proto/schema';
import { lintRule, lintRuleUrl } from '../checks';
import type { FrontendContext, SourceRange } from '../gateway';
import { FileAction, marshal, scratch, type State } from '../llb';

export interface BuildWarning {
  message: string;
  /** Where in the Modusfile, when known. */
  span?: Span;
  /** The lint rule that found it (docs/lint.md), for the checks' warnings. */
  rule?: string;
}

/** The Modusfile the warnings point into, and the step that loaded it (the vertex they belong to). */
interface WarningSource {
  filename: string;
  bytes: Uint8Array;
  file: SourceFile;
  loadStep: State;
}

export async function reportWarnings(ctx: FrontendContext, warnings: readonly BuildWarning[], source: WarningSource): Promise<void> {
  if (warnings.length === 0) return;
  if (ctx.caps.api.has('gateway.warnings')) {
    const digest = loadStepDigest(ctx, source.loadStep);
    for (const warning of warnings) {
      const range = rangeOf(warning.span, source.file);
      const rule = warning.rule ? lintRule(warning.rule) : undefined;
      await ctx.client.warn({
        digest,
        short: shortText(warning, range),
        ...(rule ? { detail: [rule.description], url: lintRuleUrl(rule.name) } : {}),
        source: { filename: source.filename, data: source.bytes, language: 'Modus' },
        ...(range ? { ranges: [range] } : {}),
      });
    }
    return;
  }
  for (const warning of warnings) await showAsStep(ctx, `[modus] warning: ${located(warning, source)}`);
}

/** The digest the daemon knows the load step by (BuildKit >= 0.17.2 re-digests canonical bytes). */
function loadStepDigest(ctx: FrontendContext, loadStep: State): string {
  const definition = marshal(loadStep, { encoding: ctx.caps.prefersCanonicalEncoding() ? 'canonical' : 'gogo' });
  // The terminal op's only input is the step itself.
  const terminal = decodeMessage<{ inputs: { digest: string }[] }>('pb.Op', definition.def[definition.def.length - 1]!);
  return terminal.inputs[0]!.digest;
}

/** As the Dockerfile frontend writes it: `Rule: message (line N)`. */
function shortText(warning: BuildWarning, range: SourceRange | undefined): string {
  const text = warning.rule ? `${warning.rule}: ${warning.message}` : warning.message;
  return range ? `${text} (line ${range.start.line})` : text;
}

/** A pb.Range: 1-based lines, 0-based characters. */
function rangeOf(span: Span | undefined, file: SourceFile): SourceRange | undefined {
  if (!span || span.file) return undefined;
  const start = file.position(span.start);
  const end = file.position(span.end);
  return { start: { line: start.line, character: start.column - 1 }, end: { line: end.line, character: end.column - 1 } };
}

function located(warning: BuildWarning, source: WarningSource): string {
  if (!warning.span || warning.span.file) return warning.message;
  const { line, column } = source.file.position(warning.span.start);
  return `${source.filename}:${line}:${column}: ${warning.rule ? `${warning.rule}: ` : ''}${warning.message}`;
}

/** A no-op step whose name is the warning: on BuildKit v0.8 the progress output is what the user sees. */
async function showAsStep(ctx: FrontendContext, customName: string): Promise<void> {
  const step = scratch().file(FileAction.mkdir('/warning', 0o755), { customName });
  const { ref } = await ctx.client.solve({ definition: marshal(step) });
  await ctx.client.statFile(ref, '/').catch(() => undefined);
}
