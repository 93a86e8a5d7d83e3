import type { AppDatabaseConfig } from '../../config/configuration';
import { locateAppDatabase } from './app-database.module';
import type { DiaryConnection } from './diary-connection';

const base: AppDatabaseConfig = {
  url: undefined,
  diaryUrl: undefined,
  dataSource: 'direct',
  caFile: undefined,
  connectTimeoutMs: 2000,
};
const embedded = {
  embeddedDatabaseUrl: (name: string) => Promise.resolve(`postgres://embedded/${name}`),
} as unknown as DiaryConnection;

describe('locateAppDatabase', () => {
  it('APP_DATABASE_URL wins, in every mode', async () => {
    const url = 'postgres://app@db/app';
    expect(
      await locateAppDatabase({ ...base, url, diaryUrl: 'postgres://d/d' }, undefined),
    ).toEqual({ url });
    expect(await locateAppDatabase({ ...base, url, dataSource: 'bridge' }, undefined)).toEqual({
      url,
    });
  });

  it("otherwise the diary's server and database (schema app), with its TLS settings", async () => {
    expect(
      await locateAppDatabase(
        { ...base, diaryUrl: 'postgres://d/diary', caFile: '/ca.pem' },
        undefined,
      ),
    ).toEqual({ url: 'postgres://d/diary', caFile: '/ca.pem' });
  });

  it('on the embedded default, a database "app" of the embedded cluster', async () => {
    expect(await locateAppDatabase(base, embedded)).toEqual({ url: 'postgres://embedded/app' });
  });

  it('in bridge mode, needs APP_DATABASE_URL', async () => {
    await expect(locateAppDatabase({ ...base, dataSource: 'bridge' }, undefined)).rejects.toThrow(
      /DATA_SOURCE=bridge needs APP_DATABASE_URL/,
    );
  });
});
