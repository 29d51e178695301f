import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the processes read from the environment, checked once at start. */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of every BullMQ key; lets several deployments or test runs share one Redis. */
  redisPrefix: string;
  varDir: string;
  storageDir: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  reviewsRequired: number;
  reviewLockSeconds: number;
  demoData: boolean;
  logLevel: string;
  /** Relay/reconciler cadence; tests shorten it. */
  reconcileIntervalMs: number;
  /** Photos processed at once per worker process. */
  photoConcurrency: number;
  /** Observer upload limits: bytes per photo, photos per report, pixels per photo. */
  uploadMaxFileBytes: number;
  uploadMaxFiles: number;
  uploadMaxPixels: number;
  /** Whether uploads are written past the page cache (O_DIRECT) where the file system allows. */
  uploadDirectIo: boolean;
  /** Connections an official-results import loads its file on, in parts of at least importPartMinBytes. */
  importParallelism: number;
  importPartMinBytes: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function url(env: Env, name: string, protocols: string[], problems: string[]): string {
  const raw = env[name];
  if (!raw) {
    problems.push(`${name} is required (e.g. ${protocols[0]}//localhost)`);
    return '';
  }
  try {
    const parsed = new URL(raw);
    if (!protocols.includes(parsed.protocol)) {
      problems.push(
        `${name} must start with ${protocols.map((p) => p + '//').join(' or ')} (got "${parsed.protocol}")`,
      );
    }
  } catch {
    problems.push(`${name} is not a valid URL`);
  }
  return raw;
}

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

/** JWT_SECRET, or one generated on first use and kept under the var folder. */
function jwtSecret(env: Env, varDir: string, problems: string[]): string {
  const given = env.JWT_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
    return given;
  }
  const file = join(varDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(varDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process wrote it first; then read theirs.
  try {
    writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const varDir = resolve(env.VAR_DIR || 'var');
  const adminEmail = env.ADMIN_EMAIL || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) problems.push('ADMIN_EMAIL is not an e-mail address');
  if (adminEmail && (!adminPassword || adminPassword.length < 8)) {
    problems.push('ADMIN_PASSWORD of at least 8 characters is required when ADMIN_EMAIL is set');
  }
  const config: AppConfig = {
    nodeEnv: env.NODE_ENV || 'development',
    port: int(env, 'PORT', 3000, 1, 65535, problems),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:'], problems),
    redisPrefix: env.REDIS_PREFIX || 'votecheck',
    varDir,
    storageDir: resolve(env.STORAGE_DIR || join(varDir, 'storage')),
    jwtSecret: jwtSecret(env, varDir, problems),
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 86400, problems),
    adminEmail,
    adminPassword,
    reviewsRequired: int(env, 'REVIEWS_REQUIRED', 2, 1, 3, problems),
    reviewLockSeconds: int(env, 'REVIEW_LOCK_SECONDS', 300, 2, 3600, problems),
    demoData: bool(env, 'DEMO_DATA', false, problems),
    logLevel: env.LOG_LEVEL || 'info',
    reconcileIntervalMs: int(env, 'RECONCILE_INTERVAL_MS', 10_000, 100, 3_600_000, problems),
    photoConcurrency: int(env, 'PHOTO_CONCURRENCY', 2, 1, 32, problems),
    uploadMaxFileBytes: int(env, 'UPLOAD_MAX_FILE_MB', 25, 1, 200, problems) * 1024 * 1024,
    uploadMaxFiles: int(env, 'UPLOAD_MAX_FILES', 10, 1, 50, problems),
    uploadMaxPixels: int(env, 'UPLOAD_MAX_MEGAPIXELS', 50, 1, 250, problems) * 1_000_000,
    uploadDirectIo: bool(env, 'UPLOAD_DIRECT_IO', true, problems),
    importParallelism: int(env, 'IMPORT_PARALLELISM', 2, 1, 16, problems),
    importPartMinBytes: int(env, 'IMPORT_PART_MIN_KB', 8192, 16, 1024 * 1024, problems) * 1024,
  };
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}
