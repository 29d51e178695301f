import { ChildProcess, spawn } from 'node:child_process';

/**
 * A long-running node process (api or worker) whose output is prefixed with its name. `stop()`
 * sends SIGTERM and waits for the graceful shutdown, then SIGKILL after `graceMs`.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private stopping = false;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly onExit: (name: string, code: number | null) => void,
  ) {}

  start(): void {
    this.child = spawn(process.execPath, ['--enable-source-maps', this.script], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${this.name}] `;
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(prefix + line + '\n');
      });
    }
    this.child.on('exit', (code) => {
      if (!this.stopping) this.onExit(this.name, code);
    });
  }

  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.stopping = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
