import { cursorFields, decodeCursor, encodeCursor } from './cursor-codec';
import { InvalidCursorError } from './record-errors';

describe('cursor codec', () => {
  const id = '0b7e8f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads back what it wrote, position by position', () => {
    expect(decodeCursor(encodeCursor(['2026-01-02T03:04:05.000Z', id]), [cursorFields.date, cursorFields.text])).toEqual([
      '2026-01-02T03:04:05.000Z',
      id,
    ]);
    expect(decodeCursor(encodeCursor(['Doe', id]), [cursorFields.text, cursorFields.uuid])).toEqual(['Doe', id]);
    expect(decodeCursor(encodeCursor([null, 42]), [cursorFields.scalar, cursorFields.key])).toEqual([null, 42]);
  });

  it('refuses a NUL hidden inside the base64, where the global check cannot see it', () => {
    expect(() => decodeCursor(cursorOf(['2026-01-02T03:04:05Z', `${id}\u0000`]), [cursorFields.date, cursorFields.text])).toThrow(
      InvalidCursorError,
    );
    expect(() => decodeCursor(cursorOf(['Do\u0000e', id]), [cursorFields.text, cursorFields.uuid])).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursorOf(['Do\u0000e', 1]), [cursorFields.scalar, cursorFields.key])).toThrow(InvalidCursorError);
  });

  it('refuses values of the wrong kind', () => {
    expect(() => decodeCursor(cursorOf([{ $gt: '' }, id]), [cursorFields.date, cursorFields.text])).toThrow('cursor is invalid');
    expect(() => decodeCursor(cursorOf([['Doe'], id]), [cursorFields.text, cursorFields.uuid])).toThrow('cursor is invalid');
    expect(() => decodeCursor(cursorOf(['Doe', 'not-a-uuid']), [cursorFields.text, cursorFields.uuid])).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursorOf(['2026-02-30T00:00:00Z', id]), [cursorFields.timestamp, cursorFields.uuid])).toThrow(
      InvalidCursorError,
    );
    expect(() => decodeCursor(cursorOf(['yesterday', id]), [cursorFields.date, cursorFields.text])).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursorOf(['a', null]), [cursorFields.scalar, cursorFields.key])).toThrow(InvalidCursorError);
  });

  it('refuses text that is not a cursor at all, or one of another length', () => {
    for (const cursor of ['%%%', cursorOf({ createdAt: 'x' }), cursorOf('Doe'), cursorOf(['Doe']), cursorOf(['Doe', id, 'extra'])]) {
      expect(() => decodeCursor(cursor, [cursorFields.text, cursorFields.uuid])).toThrow(InvalidCursorError);
    }
  });

  it('names the cursor as the field at fault', () => {
    const error = new InvalidCursorError();
    expect([error.message, error.details]).toEqual(['cursor is invalid', [{ field: 'cursor', problems: ['cursor is invalid'] }]]);
  });
});
