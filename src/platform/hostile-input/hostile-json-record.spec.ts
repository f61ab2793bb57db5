import { hostileJsonRecordProblem } from './hostile-json-record';

const problemOf = (text: string) => hostileJsonRecordProblem(text, JSON.parse(text));

describe('hostileJsonRecordProblem', () => {
  it('names the field holding a NUL character or an unpaired surrogate', () => {
    expect(problemOf('{"customFields":{"note":"x\\u0000y"}}')).toBe('holds the NUL character (U+0000) in customFields.note');
    expect(problemOf('{"email":"a\\ud800@x.test"}')).toBe('holds an unpaired surrogate (U+D800–U+DFFF) in email');
  });

  it('refuses nesting deeper than the API takes in a request body', () => {
    expect(problemOf(`{"a":${'['.repeat(70)}${']'.repeat(70)}}`)).toBe('nests objects or arrays deeper than 64 levels');
  });

  it('takes a well-formed record, a surrogate pair and an escaped backslash-zero included', () => {
    expect(problemOf('{"name":"Ada \\ud83d\\ude00","path":"C:\\\\u0000"}')).toBeUndefined();
  });
});
