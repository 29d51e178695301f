import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { LocalService } from './postgres';
import { isListening, waitFor } from './tcp';

const LOCAL_PORT = 6380;

/**
 * REDIS_URL if set; else a Redis on localhost:6379 (or REDIS_PORT); else `redis-server` from PATH with its data
 * under var/redis (append-only, noeviction, so queued work survives a restart). Without one,
 * stops with a message saying how to get Redis.
 */
export async function ensureRedis(varDir: string, log: (line: string) => void): Promise<LocalService> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => undefined };
  const localPort = Number(process.env.REDIS_PORT || 6379);
  if (await isListening('127.0.0.1', localPort)) {
    return {
      url: `redis://127.0.0.1:${localPort}`,
      source: `Redis on localhost:${localPort}`,
      stop: async () => undefined,
    };
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      `No Redis found: REDIS_URL is not set, nothing listens on localhost:${localPort} and redis-server is not on PATH.\n` +
        'Install Redis 6.2 or newer (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
        'or point REDIS_URL at one, e.g. REDIS_URL=redis://localhost:6379',
    );
  }
  const dir = join(varDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const url = `redis://127.0.0.1:${LOCAL_PORT}`;
  if (!(await isListening('127.0.0.1', LOCAL_PORT))) {
    log('Starting redis-server with its data under var/redis…');
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(LOCAL_PORT),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--logfile',
        join(dir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => isListening('127.0.0.1', LOCAL_PORT), 10_000, 'redis-server');
    return {
      url,
      source: `redis-server (var/redis, port ${LOCAL_PORT})`,
      stop: async () => {
        // No reconnecting: the server going away is the point.
        const client = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
        client.on('error', () => undefined);
        // SHUTDOWN makes Redis flush the append-only file before it exits.
        await client.shutdown('SAVE').catch(() => child.kill('SIGTERM'));
        client.disconnect();
      },
    };
  }
  return { url, source: `redis-server already running on port ${LOCAL_PORT}`, stop: async () => undefined };
}
