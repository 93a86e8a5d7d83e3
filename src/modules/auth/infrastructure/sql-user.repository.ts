import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../infrastructure/database/app-database.module';
import { NewUser, UserRepository } from '../application/user.repository';
import { EmailTakenError } from '../domain/auth-errors';
import type { Role, User, UserState } from '../domain/user';
import { isUniqueViolation, once } from './sql';
import { randomUUID } from 'node:crypto';

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  person: string | null;
  state: UserState;
  created_at: Date;
  updated_at: Date;
}

const TABLE = `${APP_SCHEMA}.users`;
const COLUMNS = 'id, email, password_hash, role, person, state, created_at, updated_at';

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  passwordHash: row.password_hash,
  role: row.role,
  person: row.person,
  state: row.state,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** UserRepository on `app.users`, with bound parameters only. */
export class SqlUserRepository extends UserRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const { rows } = await once<UserRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM ${TABLE} WHERE email = $1`,
      [email],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findById(id: string): Promise<User | undefined> {
    const { rows } = await once<UserRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1`,
      [id],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async list(): Promise<User[]> {
    const { rows } = await once<UserRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM ${TABLE} ORDER BY created_at, email`,
    );
    return rows.map(toUser);
  }

  async create(user: NewUser, now: Date): Promise<User> {
    try {
      const { rows } = await once<UserRow>(
        this.dataSource,
        `INSERT INTO ${TABLE} (id, email, password_hash, role, person, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)
         RETURNING ${COLUMNS}`,
        [randomUUID(), user.email, user.passwordHash, user.role, user.person, now],
      );
      return toUser(rows[0]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async setState(id: string, state: UserState, now: Date): Promise<User | undefined> {
    const { rows } = await once<UserRow>(
      this.dataSource,
      `UPDATE ${TABLE} SET state = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, state, now],
    );
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async setPasswordHash(id: string, passwordHash: string, now: Date): Promise<void> {
    await once(
      this.dataSource,
      `UPDATE ${TABLE} SET password_hash = $2, updated_at = $3 WHERE id = $1`,
      [id, passwordHash, now],
    );
  }
}
