/** A part of a reply a frontend can render on its own. */
export interface ReplySection {
  readonly title: string;
  readonly kind: 'text' | 'list' | 'table';
  readonly text?: string;
  readonly items?: readonly string[];
  readonly columns?: readonly string[];
  readonly rows?: readonly (readonly (string | number | null)[])[];
}

export interface ChartPoint {
  /** A local day ('YYYY-MM-DD', the bucket's start) or a label. */
  readonly x: string;
  readonly y: number | null;
}

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

/** Series for trend and compare answers, ready for a chart. */
export interface Chart {
  readonly type: 'line' | 'bar';
  /** What one x step is: 'week', 'month', or 'period'. */
  readonly unit: string;
  readonly series: readonly ChartSeries[];
}

export type ReplyKind = 'answer' | 'clarification' | 'safety' | 'small_talk' | 'out_of_scope';

/** What the chat says: plain text, markdown, structured sections and chart series. */
export interface Reply {
  readonly kind: ReplyKind;
  readonly text: string;
  readonly markdown: string;
  readonly sections: readonly ReplySection[];
  readonly chart: Chart | null;
}

/** Builds text and markdown together: `b()` marks a highlight (bold in markdown). */
export class ReplyBuilder {
  private readonly plain: string[] = [];
  private readonly marked: string[] = [];
  readonly sections: ReplySection[] = [];
  chart: Chart | null = null;

  constructor(readonly kind: ReplyKind = 'answer') {}

  /** One paragraph; parts given as [text, bold?]. */
  say(...parts: (string | Bold)[]): this {
    this.plain.push(parts.map((p) => (typeof p === 'string' ? p : p.text)).join(''));
    this.marked.push(parts.map((p) => (typeof p === 'string' ? p : `**${p.text}**`)).join(''));
    return this;
  }

  /** A bulleted list, in text and markdown. */
  bullets(items: readonly string[]): this {
    if (items.length === 0) return this;
    this.plain.push(items.map((i) => `- ${i}`).join('\n'));
    this.marked.push(items.map((i) => `- ${i}`).join('\n'));
    return this;
  }

  /** A table in markdown; a bulleted list in plain text. */
  table(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]) {
    if (rows.length === 0) return this;
    const cell = (v: string | number | null) => (v === null ? '–' : String(v));
    this.plain.push(rows.map((r) => `- ${r.map(cell).join(', ')}`).join('\n'));
    this.marked.push(
      [
        `| ${columns.join(' | ')} |`,
        `| ${columns.map(() => '---').join(' | ')} |`,
        ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      ].join('\n'),
    );
    return this;
  }

  /** A table in the text and markdown, and the same table as a section. */
  tableSection(
    title: string,
    columns: readonly string[],
    rows: readonly (readonly (string | number | null)[])[],
  ): this {
    return this.table(columns, rows).section({ title, kind: 'table', columns, rows });
  }

  section(section: ReplySection): this {
    this.sections.push(section);
    return this;
  }

  build(): Reply {
    return {
      kind: this.kind,
      text: this.plain.join('\n\n'),
      markdown: this.marked.join('\n\n'),
      sections: this.sections,
      chart: this.chart,
    };
  }
}

export interface Bold {
  readonly text: string;
}

export const b = (text: string | number): Bold => ({ text: String(text) });
