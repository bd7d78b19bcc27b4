import { ModusParser } from '../../../grammar/parser';

test('the grammar passes Chevrotain validations (the process-wide parser skips them for speed)', () => {
  // performSelfAnalysis throws on any grammar definition error when validations run.
  expect(() => new ModusParser({ validate: true })).not.toThrow();
});
