import { Module } from '@nestjs/common';

/** Double-blind transcription through the manually fetched review queue, and arbitration. */
@Module({})
export class ReviewModule {}
