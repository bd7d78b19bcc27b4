/** Depth that comes from the input is no limit for the checks and the translation: loops, not recursion. */
import { parseModusfile } from '../../../grammar/index';
import { SourceFile } from '../../../grammar/source';
import { analyseProgram } from '../../../frontend/checks';
import { translateProgram } from '../../../frontend/translate';

function load(text: string) {
  const parsed = parseModusfile(new SourceFile('Modusfile', text));
  expect(parsed.diagnostics).toEqual([]);
  return parsed.ast;
}

describe('6,000 chained :: operators', () => {
  const chain = 'a :- from("x"), run("y")' + '::in_workdir("w")'.repeat(6000) + '.\n';

  test('check: no error, the kind found', () => {
    const analysis = analyseProgram(load(chain));
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.kinds.get('a')).toBe('Image');
  });

  test('a kind error deep in the chain is still found', () => {
    const wrong = 'a :- from("x"), (run("y")' + '::in_workdir("w")'.repeat(6000) + ')::set_workdir("/").\n';
    const messages = analyseProgram(load(wrong)).diagnostics.map((d) => d.message);
    expect(messages.length).toBeGreaterThan(0);
  });

  test('translation: begin markers outermost first, the operand, end markers innermost first', () => {
    const body = translateProgram(load(chain)).clauses[0]!.body;
    expect(body).toHaveLength(2 + 2 * 6000);
    expect(body[0]!.predicate).toBe('from');
    expect(body[1]!.predicate).toBe('_operator_in_workdir_begin');
    expect(body[6001]!.predicate).toBe('run');
    expect(body[6002]!.predicate).toBe('_operator_in_workdir_end');
    // Ids are numbered innermost first: the innermost application is 0, the outermost 5999.
    expect(body[6000]!.args[0]).toEqual({ kind: 'const', value: '0' });
    expect(body[1]!.args[0]).toEqual({ kind: 'const', value: '5999' });
    expect(body[body.length - 1]!.args[0]).toEqual({ kind: 'const', value: '5999' });
  });
});
