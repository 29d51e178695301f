import { ElectionEntity } from './election.entity';
import { InviteEntity } from './invite.entity';
import { OfficialImportEntity } from './official-import.entity';
import { OfficialResultEntity } from './official-result.entity';
import { OutboxEntity } from './outbox.entity';
import { PhotoEntity } from './photo.entity';
import { PrecinctEntity } from './precinct.entity';
import { ReportEntity } from './report.entity';
import { UserEntity } from './user.entity';

export * from './election.entity';
export * from './invite.entity';
export * from './official-import.entity';
export * from './official-result.entity';
export * from './outbox.entity';
export * from './photo.entity';
export * from './precinct.entity';
export * from './report.entity';
export * from './user.entity';

/** Every entity; the TypeORM module and the CLI data source both use this list. */
export const ENTITIES = [
  ElectionEntity,
  InviteEntity,
  OfficialImportEntity,
  OfficialResultEntity,
  OutboxEntity,
  PhotoEntity,
  PrecinctEntity,
  ReportEntity,
  UserEntity,
];
