import { CreateCoreSchema1764133200000 } from './1764133200000-CreateCoreSchema';
import { CreateAuditAndMatches1764133300000 } from './1764133300000-CreateAuditAndMatches';
import { CreatePhotoSimilarities1764133400000 } from './1764133400000-CreatePhotoSimilarities';
import { CreateReviewTasks1764133500000 } from './1764133500000-CreateReviewTasks';
import { TunePrecinctMatches1764133600000 } from './1764133600000-TunePrecinctMatches';
import { ChainAuditPerStream1764133800000 } from './1764133800000-ChainAuditPerStream';
import { DropOfficialResultsForeignKeys1764133900000 } from './1764133900000-DropOfficialResultsForeignKeys';
import { DropOfficialResultsPrecinctIndex1764134000000 } from './1764134000000-DropOfficialResultsPrecinctIndex';
import { DropPrecinctsElectionForeignKey1764134010000 } from './1764134010000-DropPrecinctsElectionForeignKey';
import { SlimPrecinctMatchIndexes1764134100000 } from './1764134100000-SlimPrecinctMatchIndexes';
import { ReportReceive1764134200000 } from './1764134200000-ReportReceive';

/** Every migration, oldest first. Never edit one that has reached main: add a new one. */
export const MIGRATIONS = [
  CreateCoreSchema1764133200000,
  CreateAuditAndMatches1764133300000,
  CreatePhotoSimilarities1764133400000,
  CreateReviewTasks1764133500000,
  TunePrecinctMatches1764133600000,
  ChainAuditPerStream1764133800000,
  DropOfficialResultsForeignKeys1764133900000,
  DropOfficialResultsPrecinctIndex1764134000000,
  DropPrecinctsElectionForeignKey1764134010000,
  SlimPrecinctMatchIndexes1764134100000,
  ReportReceive1764134200000,
];
