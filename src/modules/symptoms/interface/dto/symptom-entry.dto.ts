import { ApiProperty } from '@nestjs/swagger';
import { StaleMetaDto } from '../../../../shared/interface/stale-meta.dto';

export class SymptomRefDto {
  /** @example "headache" */
  id!: string;
  /** @example "Headache" */
  name!: string;
}

export class SymptomEntryDto {
  /** @example 4812 */
  id!: number;

  /** The catalog symptom the recorded name maps to; null when it cannot be placed. */
  @ApiProperty({ type: SymptomRefDto, nullable: true })
  symptom!: SymptomRefDto | null;

  /**
   * The name exactly as it was typed in the diary.
   * @example "head ache"
   */
  recordedAs!: string;

  /**
   * When it happened, ISO 8601 with the diary zone's offset.
   * @example "2026-02-03T08:15:00+01:00"
   */
  occurredAt!: string;

  /**
   * 1–10, null when not rated.
   * @example 6
   */
  @ApiProperty({ type: Number, nullable: true, example: 6 })
  severity!: number | null;

  /** @example 90 */
  @ApiProperty({ type: Number, nullable: true, example: 90 })
  durationMinutes!: number | null;

  /** @example "after a long day at the screen" */
  @ApiProperty({ type: String, nullable: true, example: 'after a long day at the screen' })
  notes!: string | null;

  /**
   * Whose entry it is.
   * @example "Anna"
   */
  person!: string;
}

export class PageMetaDto {
  /** Entries matching the filters, over all pages. @example 37 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 20 */
  limit!: number;
  /**
   * Present (true) when the page comes from the cache because the diary could not be read; see
   * `asOf` and the `X-Data-Stale` header.
   * @example true
   */
  stale?: boolean;
  /** With `stale`: when the page was read from the diary (ISO 8601, UTC). */
  asOf?: string;
}

export class SymptomEntryPageDto {
  data!: SymptomEntryDto[];
  meta!: PageMetaDto;
}

export class CatalogSymptomDto {
  /** @example "headache" */
  id!: string;
  /** @example "Headache" */
  name!: string;
  /** @example "neurological" */
  system!: string;
  /** Live diary entries recorded under any name of this symptom. @example 212 */
  entryCount!: number;
}

export class SymptomCatalogDto {
  data!: CatalogSymptomDto[];
  /** Present when the counts come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}
