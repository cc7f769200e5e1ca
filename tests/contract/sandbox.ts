// Starts and stops a private ppg-sandbox for the contract test: the binary comes from
// PPG_SANDBOX_BIN, the data dir is a fresh mkdtemp, --ephemeral removes its PostgreSQL cluster
// on exit. start() resolves with the base URL once the sandbox prints "listening on URL"
// (at most 90 s); stop() sends SIGTERM and waits (SIGKILL after 30 s), then deletes the data dir.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export class Sandbox {
  private child: ChildProcess | undefined;
  private dataDir: string | undefined;
  private stderr = '';
  private exited: Promise<void> | undefined;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  baseUrl = '';
  adminConnInfo = '';

  async start(args: string[]): Promise<void> {
    const bin = process.env['PPG_SANDBOX_BIN'];
    if (!bin) throw new Error('PPG_SANDBOX_BIN is not set (CTest sets it to the ppg-sandbox binary)');
    this.dataDir = mkdtempSync(join(tmpdir(), 'ppg-contract-'));
    const child = spawn(bin, ['--port', '0', '--data-dir', this.dataDir, '--ephemeral', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    process.once('exit', this.killOnExit);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ppg-sandbox did not listen within 90 s\n${this.stderr}`)), 90_000);
      const fail = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`ppg-sandbox exited (code ${code}) before listening\n${this.stderr}`));
      };
      child.once('exit', fail);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      lines.on('line', (line) => {
        if (line.startsWith('postgres: ')) this.adminConnInfo = line.slice('postgres: '.length);
        if (line.startsWith('listening on ')) {
          this.baseUrl = line.slice('listening on '.length).trim();
          clearTimeout(timer);
          child.off('exit', fail);
          resolve();
        }
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    process.off('exit', this.killOnExit);
    this.child = undefined;
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    this.dataDir = undefined;
  }

  stderrText(): string {
    return this.stderr;
  }
}
