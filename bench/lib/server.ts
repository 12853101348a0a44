/**
 * The real server as a child process, for the benchmarks: `node --import tsx server/main.ts`
 * on a free port, read from its first stdout line, and stopped by its process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

const FIRST_LINE = /^Execution Context Console listening on (http:\/\/[^\s]+:(\d+))$/;

export interface BenchServer {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  port: number;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /**
   * Receives each line the server writes to stderr (its pino JSON logs) instead of letting
   * them through to ours; the caller decides what to show. Without it, stderr is inherited.
   */
  onStderrLine?: (line: string) => void;
}

/**
 * Starts the server with `env` over the caller's environment. A variable set to
 * `undefined` is removed (e.g. `RATE_LIMITS: undefined` for the seeds' limits whatever the
 * caller's shell says).
 */
export async function startBenchServer(
  env: Record<string, string | undefined>,
  options: BenchServerOptions = {},
): Promise<BenchServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', options.onStderrLine ? 'pipe' : 'inherit'],
  });
  if (options.onStderrLine && child.stderr) {
    createInterface({ input: child.stderr }).on('line', options.onStderrLine);
  }
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [base, port] = await new Promise<[string, number]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`server exited with code ${code} before listening`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = FIRST_LINE.exec(line);
      if (match?.[1] && match[2]) resolve([match[1], Number(match[2])]);
      else reject(new Error(`unexpected first line from the server: ${line}`));
    });
  });
  lines.on('line', () => undefined); // keep draining stdout
  return { child, base, port, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
