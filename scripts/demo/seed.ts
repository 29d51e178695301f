/** Demo data for `npm start`: filled in below. */
export interface SeedOptions {
  url: string;
  databaseUrl: string;
  log: (line: string) => void;
}

export interface DemoAccount {
  role: string;
  email: string;
}

export async function seedDemoData(_options: SeedOptions): Promise<DemoAccount[]> {
  return [];
}
