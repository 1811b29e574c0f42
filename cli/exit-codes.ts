/** Exit codes of `sgg`, documented in `sgg --help` and the README. */
export const EXIT = {
  ok: 0,
  /** An unexpected internal error (a bug): please report it with the command line. */
  internal: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** A missing or malformed input file; the message names the file, the line and the field. */
  input: 3,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  unexpected internal error
  2  bad arguments or options
  3  missing or malformed input file (the message names the file and line)`;
