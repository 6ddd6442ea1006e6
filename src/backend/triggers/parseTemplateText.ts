/**
 * The preview Application template as the user typed it: YAML (the form Argo CD's manifests are
 * written in) or JSON (which YAML reads too). Parsed here, in the backend, so the tab's bundle
 * carries no YAML parser. A problem is one sentence that names the line and column it is on.
 * Pure.
 */
import { parseDocument } from 'yaml';

export type TemplateTextParse = { ok: true; template: Record<string, unknown> } | { ok: false; message: string };

/** Larger templates are refused before parsing: an Application manifest is a few KiB. */
export const maxTemplateTextBytes = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseTemplateText(text: string): TemplateTextParse {
  if (text.trim() === '') {
    return { ok: false, message: 'give the preview Application as YAML or JSON with {{change}} in metadata.name' };
  }
  if (Buffer.byteLength(text) > maxTemplateTextBytes) {
    return { ok: false, message: `the template must be at most ${maxTemplateTextBytes / 1024} KiB` };
  }
  // One document, no custom tags; aliases are bounded by the parser's default (maxAliasCount 100).
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, strict: true });
  const [error] = document.errors;
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'the template';
    // The parser's message repeats the position and quotes the line; the first sentence says what is wrong.
    const what = error.message.split(/ at line \d+|\n/)[0]!.trim();
    return { ok: false, message: `${where}: ${what}` };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    return { ok: false, message: `the template cannot be read: ${(cause as Error).message}` };
  }
  if (!isRecord(value)) {
    return { ok: false, message: 'the template must be one mapping: an Application manifest (metadata, spec)' };
  }
  return { ok: true, template: value };
}
