import { MigrationInterface, QueryRunner } from 'typeorm';

export class SlimPrecinctMatchIndexes1764134100000 implements MigrationInterface {
  name = 'SlimPrecinctMatchIndexes1764134100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A first national rematch inserts 96 k rows; each row's entries in the three indexes cost
      -- more than computing and storing the row. The listing index (election_id, status, effect,
      -- precinct_id) held every row, to read one status in order and to count it. Instead:
      -- the effect of match and no_official rows is always 0 (checked below), so their list
      -- order is precinct order: the primary key's. With status included in it, a count or a
      -- scan for status reads the key alone.
      DROP INDEX precinct_matches_listing_idx;
      ALTER TABLE precinct_matches
        DROP CONSTRAINT precinct_matches_pkey,
        ADD CONSTRAINT precinct_matches_pkey PRIMARY KEY (election_id, precinct_id) INCLUDE (status),
        ADD CONSTRAINT precinct_matches_effect_check
          CHECK (status IN ('mismatch', 'conflicting_reports', 'official_changed') OR effect = 0);
      -- The public statuses, in list order (a tenth of the rows nationally), with the status for
      -- counting one of them without the table.
      DROP INDEX precinct_matches_public_idx;
      CREATE INDEX precinct_matches_public_idx ON precinct_matches (election_id, effect DESC, precinct_id)
        INCLUDE (status) WHERE status IN ('mismatch', 'conflicting_reports', 'official_changed');
      -- Usually a few rows: a page of them must not scan the election's key.
      CREATE INDEX precinct_matches_no_official_idx ON precinct_matches (election_id, precinct_id)
        WHERE status = 'no_official';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX precinct_matches_no_official_idx, precinct_matches_public_idx;
      CREATE INDEX precinct_matches_public_idx ON precinct_matches (election_id, effect DESC, precinct_id)
        WHERE status IN ('mismatch', 'conflicting_reports', 'official_changed');
      ALTER TABLE precinct_matches
        DROP CONSTRAINT precinct_matches_effect_check,
        DROP CONSTRAINT precinct_matches_pkey,
        ADD CONSTRAINT precinct_matches_pkey PRIMARY KEY (election_id, precinct_id);
      CREATE INDEX precinct_matches_listing_idx ON precinct_matches (election_id, status, effect DESC, precinct_id);
    `);
  }
}
