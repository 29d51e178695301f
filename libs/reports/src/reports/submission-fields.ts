import { ProtocolTemplateModel, ProtocolValues } from '@app/domain';
import { BadRequestException } from '@nestjs/common';

export const MAX_COMMENT_LENGTH = 4000;
const KNOWN_FIELDS = new Set(['region', 'number', 'precinctId', 'clientReportId', 'values', 'comment']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SubmissionFields {
  clientReportId: string;
  precinct: { id: number } | { region: string; number: string };
  values: ProtocolValues | null;
  comment: string | null;
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestException(`${name} must be given once, as text`);
  // PostgreSQL text cannot hold it: refused here, before the photos are looked at.
  if (value.includes('\u0000')) throw new BadRequestException(`${name} holds a NUL character (\\u0000)`);
  return value;
}

/** The text fields of a report upload, checked; unknown fields are refused like in JSON bodies. */
export function clientReportIdOf(body: Record<string, unknown>): string {
  const id = text(body, 'clientReportId');
  if (!id) throw new BadRequestException('clientReportId is required (a UUID made by the client)');
  if (!UUID.test(id)) throw new BadRequestException('clientReportId must be a UUID');
  return id.toLowerCase();
}

/** The precinct the upload names, by id or by region and number. */
export function precinctOf(body: Record<string, unknown>): SubmissionFields['precinct'] {
  const precinctId = text(body, 'precinctId');
  const region = text(body, 'region')?.trim();
  const number = text(body, 'number')?.trim();
  if (precinctId !== undefined) {
    if (!/^\d{1,9}$/.test(precinctId)) throw new BadRequestException('precinctId must be a positive integer');
    return { id: Number(precinctId) };
  }
  if (region && number) return { region, number };
  throw new BadRequestException('Name the precinct with region and number (or precinctId)');
}

export function parseSubmissionFields(
  body: Record<string, unknown>,
  template: ProtocolTemplateModel,
): SubmissionFields {
  for (const name of Object.keys(body)) {
    if (name === 'photos') throw new BadRequestException('photos must be files (images), not a text field');
    if (!KNOWN_FIELDS.has(name)) throw new BadRequestException(`property ${name} should not exist`);
  }
  const clientReportId = clientReportIdOf(body);
  const precinct = precinctOf(body);
  const rawValues = text(body, 'values');
  let values: ProtocolValues | null = null;
  if (rawValues !== undefined && rawValues.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawValues);
    } catch {
      throw new BadRequestException('values is not valid JSON; send e.g. {"1": 1515, "2": 1500}');
    }
    const problems = template.valueProblems(parsed, false);
    if (problems.length > 0) throw new BadRequestException(`values: ${problems.join('; ')}`);
    values = parsed as ProtocolValues;
  }
  const comment = text(body, 'comment') ?? null;
  if (comment !== null && comment.length > MAX_COMMENT_LENGTH) {
    throw new BadRequestException(`comment must be at most ${MAX_COMMENT_LENGTH} characters`);
  }
  return { clientReportId, precinct, values, comment: comment || null };
}
