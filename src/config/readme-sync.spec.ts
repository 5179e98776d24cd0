import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { webhookEventCatalogue } from '../webhooks/webhook-event-catalogue';
import { envSchema } from './env.schema';

/*
 * The README is the product's manual: a setting the code reads or a payload field it sends that
 * the README does not name is a bug. This fails naming what is missing, so whoever adds a setting
 * or a field writes its row in the same change.
 */

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The lines of a section, from its heading to the next heading of the same or a higher level. */
function section(heading: string): string[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Body rows of every table in the lines, as trimmed cells. */
function tableRows(lines: string[]): string[][] {
  return lines
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
    .slice(1); // the first row of the first table is its header; later headers have no backticks
}

const codeSpans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** Setting name -> the README's default for it, from the Configuration tables (`A` / `B` | `1` / `2`). */
function documentedSettings(): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [names, defaults = ''] of tableRows(section('## Configuration'))) {
    const variables = codeSpans(names).filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
    const values = defaults.split(' / ').map((d) => d.trim());
    variables.forEach((name, i) => settings.set(name, values.length === variables.length ? values[i] : defaults));
  }
  return settings;
}

/** How the README writes a schema default: `value` in backticks, `unset` when there is none. */
function readmeDefault(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'unset';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

type Shape = Record<string, z.ZodType>;

function objectShape(schema: z.ZodType): Shape | undefined {
  let current: z.ZodType = schema;
  // optional / nullable / default wrap the object they describe
  while ('innerType' in current.def) current = current.def.innerType as z.ZodType;
  return current instanceof z.ZodObject ? (current.shape as Shape) : undefined;
}

/** Event type -> the text that documents its data: its row, plus the row it says it extends ("as `x`"). */
function documentedPayloads(): Map<string, string> {
  const rows = new Map(tableRows(section('### Payloads')).map(([type, data]) => [codeSpans(type)[0], data ?? '']));
  return new Map(
    [...rows].map(([type, data]) => {
      const base = /^as `([\w.]+)`/.exec(data)?.[1];
      return [type, base ? `${data} ${rows.get(base) ?? ''}` : data];
    }),
  );
}

/** Shapes the Payloads section defines once in prose: "`a`, `b` are `{x, y}`; `c` is `{z}`". */
function sharedShapes(): Map<string, string> {
  const prose = section('### Payloads')
    .filter((line) => !line.startsWith('|'))
    .join(' ');
  const shapes = new Map<string, string>();
  for (const clause of prose.split(/[;.] /)) {
    const shape = /(?:is|are) `\{([^}]*)\}`/.exec(clause);
    if (!shape) continue;
    for (const name of codeSpans(clause.slice(0, shape.index))) shapes.set(name, shape[1]);
  }
  return shapes;
}

/** Whether `field` is written as a code span of its own (`kl`, `reportId?`, `window: {from, to}`). */
const namesField = (text: string, field: string) =>
  codeSpans(text).some((span) => new RegExp(`^${field}(\\?|:|$| )`).test(span));

describe('issue 14.11: the README names every setting and every webhook payload field', () => {
  const settings = documentedSettings();

  it('lists every environment variable of the env schema in the Configuration table', () => {
    const missing = Object.keys(envSchema.shape).filter((name) => !settings.has(name));
    expect(missing).toEqual([]);
  });

  it("gives each setting the schema's default (where the row states a value)", () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    const wrong = Object.keys(envSchema.shape)
      .filter((name) => settings.has(name))
      .map((name) => ({ name, readme: settings.get(name)!, code: readmeDefault(defaults[name]) }))
      // `derived`, prose or a per-environment default: stated in words, not checked here
      .filter(({ readme: value }) => value === 'unset' || /^`[^`]*`$/.test(value))
      .filter(({ readme: value, code }) => value !== code);
    expect(wrong).toEqual([]);
  });

  it('names every top-level and nested field of every event in the Payloads table', () => {
    const payloads = documentedPayloads();
    const shapes = sharedShapes();
    const missing: string[] = [];
    for (const [type, { data }] of Object.entries(webhookEventCatalogue)) {
      const text = payloads.get(type);
      if (text === undefined) {
        missing.push(type);
        continue;
      }
      for (const [field, schema] of Object.entries(data.shape as Shape)) {
        if (!namesField(text, field)) missing.push(`${type}: ${field}`);
        const nested = objectShape(schema);
        const described = codeSpans(text).find((span) => span.startsWith(field)) ?? '';
        for (const key of Object.keys(nested ?? {})) {
          if (!new RegExp(`\\b${key}\\b`).test(`${described} ${shapes.get(field) ?? ''}`))
            missing.push(`${type}: ${field}.${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
