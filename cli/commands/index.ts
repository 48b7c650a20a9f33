/** The list of `pushpull` commands, in the order `--help` shows them. */
import type { Command } from '../command.ts';
import { benchCommand } from './bench.ts';
import { compareCommand } from './compare.ts';
import { devClusterCommand } from './dev-cluster.ts';
import { operatorCommand } from './operator.ts';
import { producerCommand } from './producer.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { toolsCommand } from './tools.ts';
import { udpCountersCommand } from './udp-counters.ts';
import { validateCommand } from './validate.ts';

export const commands: Command[] = [
  runCommand,
  toolsCommand,
  udpCountersCommand,
  validateCommand,
  reportCommand,
  compareCommand,
  devClusterCommand,
  producerCommand,
  benchCommand,
  operatorCommand,
];
