/**
 * Words that name the same thing in the schemas people build (abbreviations, synonyms, plain
 * English business vocabulary). A word may be in several groups. Callers may add their own.
 */
export const COMMON_SYNONYMS: readonly (readonly string[])[] = [
  ['quantity', 'qty', 'stock', 'units', 'unit', 'onhand', 'count', 'inventory', 'level', 'instock'],
  ['amount', 'amt', 'price', 'cost', 'value', 'total', 'sum'],
  ['name', 'title', 'label', 'nm', 'caption'],
  ['sku', 'code', 'ref', 'reference', 'article', 'partno', 'itemno'],
  ['number', 'no', 'num', 'nr', 'nbr'],
  ['id', 'key', 'pk', 'uid', 'uuid'],
  ['email', 'mail', 'emailaddress'],
  ['phone', 'tel', 'telephone', 'mobile', 'cell'],
  ['description', 'desc', 'details', 'notes', 'note', 'remarks', 'body', 'text', 'comment', 'comments'],
  ['status', 'state', 'stage', 'phase'],
  ['currency', 'ccy', 'cur', 'curr'],
  ['first', 'given', 'fore', 'fname', 'firstname', 'forename'],
  ['last', 'family', 'surname', 'sur', 'lname', 'lastname'],
  ['threshold', 'min', 'minimum', 'reorder', 'alert', 'low'],
  ['domain', 'website', 'web', 'url', 'site', 'homepage'],
  ['industry', 'sector', 'branch', 'vertical'],
  ['job', 'position', 'role', 'function'],
  ['subject', 'topic', 'summary', 'title'],
  ['type', 'kind', 'category', 'class'],
  ['at', 'date', 'on', 'time', 'ts', 'when', 'day'],
  ['due', 'deadline', 'until'],
  ['completed', 'done', 'finished', 'closed', 'complete'],
  ['expected', 'planned', 'forecast', 'target'],
  ['close', 'closing', 'end'],
  ['company', 'firm', 'account', 'organisation', 'organization', 'org', 'customer', 'client', 'business'],
  ['contact', 'person', 'people', 'individual'],
  ['item', 'product', 'part', 'article', 'goods', 'stock', 'inventory'],
  ['deal', 'opportunity', 'oppty', 'sale', 'order'],
  ['activity', 'task', 'event', 'action', 'todo'],
  ['related', 'parent', 'linked', 'regarding', 'about'],
  ['available', 'avail', 'active', 'listed', 'shelf', 'open', 'onsale', 'forsale', 'instock', 'new'],
  ['reserved', 'held', 'hold', 'onhold', 'booked', 'allocated', 'pending'],
  ['sold', 'soldout', 'gone', 'outofstock', 'depleted'],
  ['archived', 'retired', 'discontinued', 'inactive', 'withdrawn', 'obsolete', 'deleted', 'archive'],
];

/** Words that say nothing about what a name holds. */
const FILLER_WORDS = new Set(['in', 'of', 'the', 'a', 'an', 'per', 'for', 'hand', 'minor', 'selling', 'current', 'is', 'has']);

export interface NameMatch {
  /** 0 (unrelated) to 1 (the same name). */
  score: number;
  /** Which words matched how, for the person confirming the suggestion. */
  because: string[];
}

/** A name's words: split at case changes, digits and punctuation, lower-cased, plurals made singular, filler dropped. */
export function nameWords(name: string, ignored: readonly string[] = []): string[] {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length > 0)
    .map(singular);
  const ignoredWords = new Set(ignored.flatMap((name) => nameWords(name)));
  const meaningful = words.filter((word) => !FILLER_WORDS.has(word) && !ignoredWords.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

/**
 * How alike two names are, by their words (Dice coefficient over the best pairing of words): the
 * same word counts 1, synonyms 0.8, an abbreviation of the other (`desc`, `description`) 0.7.
 * `ignored` names words of the table (e.g. `part` in `part_code` of table `parts`) that say
 * nothing about a column there.
 */
export function nameSimilarity(
  ours: string,
  theirs: string,
  ignored: readonly string[] = [],
  synonyms: readonly (readonly string[])[] = COMMON_SYNONYMS,
): NameMatch {
  if (nameWords(ours).join('') === nameWords(theirs).join('')) return { score: 1, because: ['same name'] };
  const groups = synonyms.map((group) => group.map(singular));
  // Written as one word (`in_stock` as `instock`), a name may be a synonym the words alone miss.
  const [oursWhole, theirsWhole] = [ours, theirs].map((name) => singular(name.toLowerCase().replace(/[^a-z]/g, '')));
  if (groups.some((group) => group.includes(oursWhole) && group.includes(theirsWhole)))
    return { score: 0.9, because: [`${theirs} ~ ${ours}`] };
  const left = nameWords(ours);
  const right = nameWords(theirs, ignored);
  const free = [...right];
  let total = 0;
  const because: string[] = [];
  for (const word of left) {
    let best = { index: -1, score: 0, how: '' };
    free.forEach((candidate, index) => {
      const match = wordMatch(word, candidate, groups);
      if (match.score > best.score) best = { index, ...match };
    });
    if (best.index < 0) continue;
    total += best.score;
    because.push(best.how);
    free.splice(best.index, 1);
  }
  return { score: round((2 * total) / (left.length + right.length)), because };
}

function wordMatch(a: string, b: string, synonyms: readonly (readonly string[])[]): { score: number; how: string } {
  if (a === b) return { score: 1, how: a };
  if (synonyms.some((group) => group.includes(a) && group.includes(b))) return { score: 0.8, how: `${b} ~ ${a}` };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.startsWith(short)) return { score: 0.7, how: `${short} abbreviates ${long}` };
  return { score: 0, how: '' };
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
