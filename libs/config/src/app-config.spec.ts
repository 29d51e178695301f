import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  const varDir = () => mkdtempSync(join(tmpdir(), 'votecheck-config-'));
  const valid = () => ({ DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost', VAR_DIR: varDir() });

  it('reads a minimal environment with defaults', () => {
    const config = loadConfig(valid());
    expect(config).toMatchObject({ port: 3000, reviewsRequired: 2, redisPrefix: 'votecheck', demoData: false });
  });

  it('generates JWT_SECRET once and keeps it under the var folder', () => {
    const env = valid();
    const first = loadConfig(env).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig(env).jwtSecret).toBe(first);
    expect(readFileSync(join(env.VAR_DIR, 'jwt-secret'), 'utf8')).toBe(first);
  });

  it('lists every problem at once', () => {
    const env = {
      DATABASE_URL: 'mysql://x',
      PORT: 'eighty',
      REVIEWS_REQUIRED: '4',
      ADMIN_EMAIL: 'admin@example.org',
      JWT_SECRET: 'short',
      VAR_DIR: varDir(),
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(/DATABASE_URL must start with postgres:\/\//);
      expect(message).toMatch(/REDIS_URL is required/);
      expect(message).toMatch(/PORT must be an integer/);
      expect(message).toMatch(/REVIEWS_REQUIRED must be an integer from 1 to 3/);
      expect(message).toMatch(/ADMIN_PASSWORD of at least 8 characters is required/);
      expect(message).toMatch(/JWT_SECRET must be at least 32 characters/);
    }
  });
});
