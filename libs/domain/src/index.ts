export * from './accounts/roles';
export * from './precincts/precinct-number';
export * from './reports/report-status';
export * from './templates/expression';
export * from './templates/presets';
export * from './templates/protocol-template';
export * from './templates/ratio-sql';
export * from './templates/template.types';
