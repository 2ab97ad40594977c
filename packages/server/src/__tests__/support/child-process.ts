import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./child-server.ts', import.meta.url));

/** A customers server running in a child process. */
export interface ChildServer {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** Kills it with SIGKILL (no cleanup, no answers) and waits until it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `child-server.ts` in a new Node process against PostgreSQL.
 * @param schema - The schema it stores in.
 * @param port - The port, or 0 for any.
 */
export async function startChildServer(schema: string, port = 0): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--conditions=@donutauto/source', '--import', 'tsx', SCRIPT], {
    env: { ...process.env, SCHEMA: schema, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`child server exited (${code}) before listening`)));
  });
  return {
    process: child,
    port: listening,
    url: `http://127.0.0.1:${listening}/api/customers`,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
