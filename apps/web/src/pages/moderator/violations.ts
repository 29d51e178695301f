import type { ApiError } from '../../api';

/** The ratio ids named by a 422 answer, wherever the server put them. */
export function violationsOf(err: ApiError): string[] {
  const body = err.body as Record<string, unknown> | undefined;
  const list = (body?.ratioViolations ?? body?.violations ?? body?.ratios) as unknown;
  if (Array.isArray(list)) {
    return list.map((v) =>
      typeof v === 'string'
        ? v
        : typeof v === 'object' && v
          ? String((v as { id?: string; expr?: string }).expr ?? (v as { id?: string }).id)
          : String(v),
    );
  }
  return [err.message];
}
