import type { Command } from '../io';

export const checkCommand: Command = {
  name: 'check',
  summary: 'not implemented yet',
  usage: 'modus check',
  async run(_argv, io) {
    io.stderr('modus check: not implemented yet\n');
    return 1;
  },
};
