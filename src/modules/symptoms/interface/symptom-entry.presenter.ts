import { formatInZone } from '../../../shared/interface/diary-date';
import type { SymptomCatalog } from '../domain/symptom-catalog';
import type { SymptomEntry } from '../domain/symptom-entry';
import type { SymptomEntryDto, SymptomRefDto } from './dto/symptom-entry.dto';

/** A catalog id as `{ id, name }` (the id alone if the catalog lacks it, which cannot happen). */
export function presentSymptom(conceptId: string, catalog: SymptomCatalog): SymptomRefDto {
  const concept = catalog.get(conceptId);
  return { id: conceptId, name: concept?.name ?? conceptId };
}

/** An entry as the API shows it: the concept by id and name, the time with the zone's offset. */
export function presentEntry(
  entry: SymptomEntry,
  catalog: SymptomCatalog,
  timeZone: string,
): SymptomEntryDto {
  const concept = entry.conceptId ? catalog.get(entry.conceptId) : undefined;
  return {
    id: entry.id,
    symptom: concept ? { id: concept.id, name: concept.name } : null,
    recordedAs: entry.recordedAs,
    occurredAt: formatInZone(entry.occurredAt, timeZone),
    severity: entry.severity,
    durationMinutes: entry.durationMinutes,
    notes: entry.notes,
    person: entry.person,
  };
}
