import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePhotoSimilarities1764133400000 implements MigrationInterface {
  name = 'CreatePhotoSimilarities1764133400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Perceptual-hash matches found when a photo is processed: the same picture sent for two
      -- precincts, or near-duplicates inside one precinct. Kept so that moderators can see them.
      CREATE TABLE photo_similarities (
        photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
        similar_photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('other_precinct', 'same_precinct')),
        distance smallint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (photo_id, similar_photo_id)
      );
      CREATE INDEX photo_similarities_similar_idx ON photo_similarities (similar_photo_id);

      -- The reconciler looks for photos still waiting for processing.
      ALTER TABLE photos ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX photos_pending_idx ON photos (created_at) WHERE status = 'pending';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX photos_pending_idx;
      ALTER TABLE photos DROP COLUMN created_at;
      DROP TABLE photo_similarities;
    `);
  }
}
