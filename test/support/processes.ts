import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The app's own settings: a process under test gets only those its caller gives it. */
const isAppSetting = (k: string) => k.startsWith('SLACK_') || k.startsWith('JOB_') || ['PORT', 'DATABASE_PATH', 'LOG_LEVEL'].includes(k);

/** Spawns a TypeScript entry point in its own Node process, from an empty folder, with only `env` of the app's settings. */
function spawnEntry(entry: string, env: Record<string, string>, output: { stdout: 'inherit' | 'pipe'; stderr: 'inherit' | 'pipe' }, args: string[] = []) {
  // BENCH_PROFILE=<dir> writes a CPU profile of each app under test, to see where its time goes.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !isAppSetting(k)));
  // Run from an empty folder so a developer's .env never leaks into the process under test.
  return spawn(process.execPath, [...profile, '--import', import.meta.resolve('tsx'), path.resolve(ROOT, entry), ...args], {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'deal-coach-run-')),
    env: { ...clean, ...env },
    stdio: ['ignore', output.stdout, output.stderr],
  });
}

/** Starts a TypeScript entry point in its own Node process and waits until GET `readyPath` answers 200. */
export async function startProcess(entry: string, env: Record<string, string>, port: number, options: { readyPath?: string; output?: 'inherit' | 'pipe' } = {}): Promise<ChildProcess> {
  const readyPath = options.readyPath ?? '/healthz';
  const child = spawnEntry(entry, { ...env, PORT: String(port) }, { stdout: options.output ?? 'inherit', stderr: 'inherit' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}${readyPath}`).then((r) => r.ok, () => false);
    if (ok) return child;
    if (Date.now() > deadline) throw new Error(`${entry} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Runs a TypeScript entry point to its end, without blocking this process (which may be serving its fake Slack). */
export async function runToExit(entry: string, env: Record<string, string> = {}, args: string[] = []): Promise<{ code: number | null; stderr: string }> {
  const child = spawnEntry(entry, env, { stdout: 'inherit', stderr: 'pipe' }, args);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}
