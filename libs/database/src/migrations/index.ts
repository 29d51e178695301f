import { CreateCoreSchema1764133200000 } from './1764133200000-CreateCoreSchema';

/** Every migration, oldest first. Never edit one that has reached main: add a new one. */
export const MIGRATIONS = [CreateCoreSchema1764133200000];
