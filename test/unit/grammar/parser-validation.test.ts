import { ModusParser } from '../../../grammar/parser';

test('the grammar passes Chevrotain validations (the process-wide parser skips them for speed)', () => {
  expect(() => new ModusParser({ validate: true })).not.toThrow();
  expect(new ModusParser({ validate: true }).definitionErrors).toEqual([]);
});
