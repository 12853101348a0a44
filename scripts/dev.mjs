// `npm run dev`: the API server (watch mode) and Vite's dev server (which proxies /api to
// it, see vite.config.ts) together. Ctrl+C (or either process dying) stops both, by pid.
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '4173';
const env = { ...process.env, PORT: port };
const children = [];
let stopping = false;

function start(name, command, args) {
  // detached: each child leads its own process group, so we can stop it together with
  // anything it started (tsx's watcher, esbuild) by signalling -pid.
  const child = spawn(command, args, { env, stdio: 'inherit', detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`\n[dev] ${name} exited (${signal ?? code}); stopping the other process.`);
      stop(typeof code === 'number' && code !== 0 ? code : 1);
    }
  });
  children.push({ name, child });
  return child;
}

function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  // Give them a moment to close their ports, then make sure.
  setTimeout(() => {
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    process.exit(exitCode);
  }, 1500).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

console.log(`[dev] API on http://127.0.0.1:${port} · dashboard on http://localhost:5173 (proxies /api)`);
start('api', process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts']);
start('vite', process.execPath, ['node_modules/vite/bin/vite.js', '--strictPort']);
