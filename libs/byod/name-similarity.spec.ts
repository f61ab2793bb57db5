import { nameSimilarity, nameWords } from './name-similarity';

describe('nameWords', () => {
  it('splits snake and camel case, makes plurals singular and drops filler', () => {
    expect(nameWords('qty_in_stock')).toEqual(['qty', 'stock']);
    expect(nameWords('listPrices')).toEqual(['list', 'price']);
    expect(nameWords('part_code', ['parts'])).toEqual(['code']);
  });
});

describe('nameSimilarity', () => {
  it('scores the same name 1, whatever its case and separators', () => {
    expect(nameSimilarity('first_name', 'FirstName').score).toBe(1);
  });

  it('knows common synonyms and abbreviations, and says which words matched', () => {
    expect(nameSimilarity('stock_on_hand', 'qty')).toEqual({ score: 0.53, because: ['qty ~ stock'] });
    expect(nameSimilarity('threshold', 'stock_thresh', ['stocks']).because).toEqual(['thresh abbreviates threshold']);
    expect(nameSimilarity('available', 'IN_STOCK')).toEqual({ score: 0.9, because: ['IN_STOCK ~ available'] });
  });

  it('scores unrelated names 0', () => {
    expect(nameSimilarity('email', 'warehouse_zone').score).toBe(0);
  });
});
