/**
 * Real server processes for multi-instance tests: `node --import tsx server/main.ts` with
 * PORT=0, its URL parsed from the first stdout line, stopped by its own process id
 * (never by name).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIRST_LINE = /^Execution Context Console listening on (http:\/\/\S+)$/;

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string | null>;
  /** SIGTERM (graceful), then SIGKILL after 10 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts main.ts with `env` (plus PATH, HOST=127.0.0.1, PORT=0) and waits for its URL. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', SEED_CONTEXTS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | string | null>((done) => child.on('exit', (code, signal) => done(code ?? signal)));
  const deadline = Date.now() + timeoutMs;
  while (stdout.length < 1) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr.join('\n')}`);
    if (Date.now() > deadline) {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      throw new Error(`server did not start in ${timeoutMs} ms: ${stderr.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const match = FIRST_LINE.exec(stdout[0] ?? '');
  if (!match?.[1] || child.pid === undefined) throw new Error(`unexpected first line: ${stdout[0]}`);
  const pid = child.pid;
  return {
    url: match[1],
    pid,
    child,
    stdout,
    stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null) process.kill(pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
