import { CliError } from './load-topology.js';

/** Options that do not make sense together or do not parse: reported on one line, exit code 2, as commander's own. */
export class UsageError extends CliError {}
