import { InvalidInputError } from '../../../../shared/domain/domain-error';
import { isJsonContentType, parseQueryEnvelope } from './query-envelope';

function problemOf(body: unknown): InvalidInputError {
  try {
    parseQueryEnvelope(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected a refusal');
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('parseQueryEnvelope', () => {
  it('reads name and params from the raw bytes', () => {
    expect(
      parseQueryEnvelope(bytes('{"name":"stats.totals","params":{"withSeverity":true}}')),
    ).toEqual({ name: 'stats.totals', params: { withSeverity: true } });
    expect(parseQueryEnvelope(bytes('{"name":"entries.people"}'))).toEqual({
      name: 'entries.people',
      params: {},
    });
  });

  it.each([
    ['no body', undefined],
    ['an empty body', bytes('')],
    ['a parsed object instead of bytes', { name: 'x' }],
    ['truncated JSON', bytes('{"name":')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])],
  ])('refuses %s as malformed', (_label, body) => {
    expect(problemOf(body).code).toBe('REQUEST.MALFORMED');
  });

  it.each([
    ['an array', '[]', ['body']],
    ['a string', '"stats.totals"', ['body']],
    ['null', 'null', ['body']],
    ['no name', '{"params":{}}', ['name']],
    ['a name with spaces', '{"name":"stats totals"}', ['name']],
    ['a numeric name', '{"name":42}', ['name']],
    ['params as an array', '{"name":"a","params":[]}', ['params']],
    ['params as null', '{"name":"a","params":null}', ['params']],
    ['extra fields', '{"name":"a","sql":"DROP","__proto__":{}}', ['sql', '__proto__']],
  ])('refuses %s naming the fields', (_label, text, names) => {
    const error = problemOf(bytes(text));
    expect(error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(error.invalidParameters.map((p) => p.name)).toEqual(names);
    expect(error.message).not.toContain('DROP');
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['text/plain', false],
    ['application/jsonp', false],
    [undefined, false],
  ])('%j → %j', (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });
});
