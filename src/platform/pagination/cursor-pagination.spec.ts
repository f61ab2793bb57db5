import { BadRequestException } from '@nestjs/common';
import { decodeCursor, decodeSortedCursor, encodeCursor } from './cursor-pagination';

describe('cursor decoding', () => {
  const id = '0b7e8f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('reads back what it wrote', () => {
    expect(decodeCursor(encodeCursor({ createdAt: new Date('2026-01-02T03:04:05Z'), id }))).toEqual({ createdAt: '2026-01-02T03:04:05.000Z', id });
    expect(decodeSortedCursor(cursorOf(['Doe', id]))).toEqual(['Doe', id]);
  });

  it('refuses a NUL hidden inside the base64, where the global check cannot see it', () => {
    expect(() => decodeCursor(cursorOf(['2026-01-02T03:04:05Z', `${id}\u0000`]))).toThrow(BadRequestException);
    expect(() => decodeSortedCursor(cursorOf(['Do\u0000e', id]))).toThrow(BadRequestException);
  });

  it('refuses values that are not strings', () => {
    expect(() => decodeCursor(cursorOf([{ $gt: '' }, id]))).toThrow('cursor is invalid');
    expect(() => decodeSortedCursor(cursorOf([['Doe'], id]))).toThrow('cursor is invalid');
  });
});
