import { findNulInJson, findNulOutsideBody as findNul } from './nul-finder';

describe('findNul', () => {
  const clean = { url: '/api/notes/1?limit=5', params: { id: '1' }, query: { limit: '5' }, headers: { host: 'example.test' } };

  it('finds nothing in a clean request', () => {
    expect(findNul(clean)).toBeUndefined();
    expect(findNulInJson({ name: 'a', items: [{ tags: ['x', 'y'] }], n: 1, ok: true, none: null })).toBeUndefined();
  });

  it('names a decoded path parameter, or the path when no parameter was matched', () => {
    expect(findNul({ ...clean, params: { id: 'a\u0000b' } })).toBe('path.id');
    expect(findNul({ ...clean, url: '/api/unknown%00/x', params: {} })).toBe('path');
    expect(findNul({ ...clean, url: '/api/unknown%00/x', params: { '*': 'api/unknown\u0000/x' } })).toBe('path');
    expect(findNul({ ...clean, url: '/api/notes?search=%00' })).toBeUndefined();
  });

  it('names query values, lists of values and query names', () => {
    expect(findNul({ ...clean, query: { search: 'a\u0000' } })).toBe('query.search');
    expect(findNul({ ...clean, query: { tag: ['ok', '\u0000'] } })).toBe('query.tag');
    expect(findNul({ ...clean, query: { 'a\u0000': 'x' } })).toBe('query.a\\u0000');
  });

  it('names headers', () => {
    expect(findNul({ ...clean, headers: { 'x-tenant-id': 'acme\u0000' } })).toBe('headers.x-tenant-id');
  });

  it('names nested body values and keys', () => {
    expect(findNulInJson({ email: 'a\u0000@example.test' })).toBe('body.email');
    expect(findNulInJson({ lines: [{ ok: 'x' }, { note: { text: '\u0000' } }] })).toBe('body.lines[1].note.text');
    expect(findNulInJson({ settings: { 'k\u0000': 'v' } })).toBe('body.settings.k\\u0000');
    expect(findNulInJson(['a', 'b\u0000'])).toBe('body[1]');
    expect(findNulInJson('a\u0000')).toBe('body');
    expect(findNulInJson({ first: ['\u0000'], second: '\u0000' })).toBe('body.first[0]');
  });
});
