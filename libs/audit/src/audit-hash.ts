import { createHash } from 'node:crypto';

export interface AuditFields {
  at: string;
  actorId: string | null;
  reportId: string | null;
  action: string;
  data: Record<string, unknown>;
}

/** JSON with object keys sorted, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The text an entry's hash covers besides the previous hash. */
export function canonicalAuditJson(entry: AuditFields): string {
  return canonicalJson({ ...entry, at: new Date(entry.at).toISOString() });
}

/**
 * SHA-256 over the previous hash, a newline and the entry's canonical JSON. PostgreSQL's
 * audit_append computes the same when it writes an entry; audit:verify recomputes it here.
 */
export function auditHash(prevHash: string, entry: AuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalAuditJson(entry)).digest('hex');
}
