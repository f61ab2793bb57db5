import { findLoneSurrogateInJson } from './lone-surrogate';

const find = (text: string) => findLoneSurrogateInJson(text, JSON.parse(text));

describe('findLoneSurrogateInJson', () => {
  it('names a value or key holding a high or low surrogate without its other half', () => {
    expect(find('{"email":"a\\ud800@example.test"}')).toBe('body.email');
    expect(find('{"lines":[{"note":"\\udfff"}]}')).toBe('body.lines[0].note');
    expect(find('{"tail":"x\\uD83D"}')).toBe('body.tail');
    expect(find('{"settings":{"\\udc00k":"v"}}')).toMatch(/^body\.settings\./);
  });

  it('lets paired surrogates (an emoji, escaped or not) and ordinary text through', () => {
    expect(find('{"name":"\\ud83d\\ude00 smile"}')).toBeUndefined();
    expect(find('{"name":"😀 smile","other":"\\u00e9"}')).toBeUndefined();
    expect(find('{"n":1,"list":[true,null]}')).toBeUndefined();
  });
});
