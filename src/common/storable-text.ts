import { invalid } from './domain-error';

/*
 * Text Postgres cannot store, in one place. A NUL is refused in text (SQLSTATE 22021) and jsonb
 * (22P05); a lone UTF-16 surrogate (JSON allows "\ud800") is refused in jsonb (22P02) and
 * silently turned into U+FFFD in text. Requests are checked before they reach a query; the
 * exception filter maps the database's own refusal to the same 400 for anything that slips by.
 */

export const INVALID_TEXT_CODE = 'invalid_text';
export const INVALID_TEXT_MESSAGE =
  'a text value in the request contains a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which cannot be stored';

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\0')) return 'a NUL character (\\u0000)';
  const surrogate = loneSurrogate.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16);
    return `an unpaired UTF-16 surrogate (\\u${code}) at character ${surrogate.index}`;
  }
  return undefined;
}

/** Refuses (400 invalid_text, naming the field as parseInput does) any string, value or key, that cannot be stored. */
export function assertStorableText(value: unknown, what: string): void {
  const pending: Array<[unknown, string[]]> = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      const reason = unstorableReason(item);
      const field = path.length ? path.join('.') : what;
      if (reason) throw invalid(INVALID_TEXT_CODE, `${field}: contains ${reason}, which cannot be stored`);
    } else if (Array.isArray(item)) {
      item.forEach((element, i) => pending.push([element, [...path, String(i)]]));
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item)) {
      for (const [key, element] of Object.entries(item)) {
        pending.push([element, [...path, key]], [key, [...path, `${key} (a key)`]]);
      }
    }
  }
}
