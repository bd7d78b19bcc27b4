import type { Command } from '../io';

export const llbCommand: Command = {
  name: 'llb',
  summary: 'not implemented yet',
  usage: 'modus llb',
  async run(_argv, io) {
    io.stderr('modus llb: not implemented yet\n');
    return 1;
  },
};
