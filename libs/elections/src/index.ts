export * from './elections.module';
export * from './elections/elections.dto';
export * from './elections/elections.service';
export * from './precincts/precincts.dto';
export * from './precincts/precincts.repository';
export * from './precincts/precincts.service';
