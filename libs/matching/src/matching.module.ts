import { Module } from '@nestjs/common';

/** Set-based matching of reviewed protocols against the latest official results. */
@Module({})
export class MatchingModule {}
