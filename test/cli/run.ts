import { main } from '../../src/cli/main';

/** The result of one in-process CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with the given arguments, capturing its output. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Runs the CLI and parses its `--json` output, failing the test on a non-zero exit. */
export async function runCliJson(...argv: string[]): Promise<any> {
  const run = await runCli(...argv, '--json');
  if (run.code !== 0) {
    throw new Error(`exit ${run.code}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}
