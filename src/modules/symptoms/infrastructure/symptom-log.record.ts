import { EntitySchema } from 'typeorm';

/** A row of the legacy `symptom_log` table, column for column (docs/data-model.md). */
export interface SymptomLogRecord {
  log_id: number;
  person: string;
  sym: string;
  sev: number | null;
  logged: string;
  dur_mins: number | null;
  notes: string | null;
  deleted: string;
}

/**
 * TypeORM mapping of the legacy table. Read-only: never synchronised, never written. `logged` is
 * read as text (wall-clock time in DIARY_TIMEZONE) and converted by DiaryClock.
 */
export const SymptomLogSchema = new EntitySchema<SymptomLogRecord>({
  name: 'SymptomLogRecord',
  tableName: 'symptom_log',
  synchronize: false,
  columns: {
    log_id: { type: Number, primary: true, generated: 'increment' },
    person: { type: String, length: 40 },
    sym: { type: String, length: 80 },
    sev: { type: 'smallint', nullable: true },
    logged: { type: 'timestamp without time zone' },
    dur_mins: { type: 'integer', nullable: true },
    notes: { type: 'text', nullable: true },
    deleted: { type: 'char', length: 1, default: 'N' },
  },
});
