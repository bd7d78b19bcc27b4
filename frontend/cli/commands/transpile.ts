import type { Command } from '../io';

export const transpileCommand: Command = {
  name: 'transpile',
  summary: 'not implemented yet',
  usage: 'modus transpile',
  async run(_argv, io) {
    io.stderr('modus transpile: not implemented yet\n');
    return 1;
  },
};
