/**
 * Renders the argo-cdviz demo's notification templates the way Argo CD's
 * notifications-engine does (Go text/template with sprig's functions, over the
 * Application as map[string]interface{}), for the subset those templates use:
 * field chains, string literals, pipelines, if/else/end, eq, default, replace,
 * toJson, now, date and unixEpoch. Test tooling only: it rebuilds the rendered
 * bodies where a data root lacks them, and its output is checked against bodies
 * Go itself rendered (test/data/renderDemoTemplates.test.ts).
 */
import { parse as parseYaml } from 'yaml';

export interface NotificationTemplate {
  /** The name after `template.`, as Go's error messages give it. */
  name: string;
  /** The webhook body, a Go template. */
  body: string;
}

/** The templates' webhook bodies, from the demo's Helm values (key `notifications.templates`). */
export function readDemoTemplates(valuesYaml: string): NotificationTemplate[] {
  const values = parseYaml(valuesYaml) as { notifications: { templates: Record<string, string> } };
  return Object.entries(values.notifications.templates).map(([key, text]) => {
    const template = parseYaml(text) as { webhook: Record<string, { body: string }> };
    const [webhook] = Object.values(template.webhook);
    return { name: key.replace(/^template\./, ''), body: webhook!.body };
  });
}

export type RenderResult = { ok: true; text: string } | { ok: false; error: string };

/** Go's "no value": a missing map key or nil, which prints as <no value>. */
const NO_VALUE = Symbol('no value');
interface GoTime {
  kind: 'time';
  unixSeconds: number;
  /** Fraction of the second, nine digits. */
  nanos: string;
}
type Value = typeof NO_VALUE | GoTime | null | boolean | number | string | Value[] | { [key: string]: Value };

class TemplateError extends Error {}

interface Token {
  kind: 'text' | 'action';
  text: string;
  line: number;
  column: number;
}

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < body.length) {
    const open = body.indexOf('{{', at);
    const end = open === -1 ? body.length : open;
    if (end > at) tokens.push({ kind: 'text', text: body.slice(at, end), ...positionOf(body, at) });
    if (open === -1) break;
    const close = body.indexOf('}}', open);
    if (close === -1) throw new TemplateError('unclosed action');
    tokens.push({ kind: 'action', text: body.slice(open + 2, close), ...positionOf(body, open + 2) });
    at = close + 2;
  }
  return tokens;
}

function positionOf(body: string, offset: number): { line: number; column: number } {
  const before = body.slice(0, offset);
  const line = before.split('\n').length;
  // Go counts columns from 0 (the byte offset within the line).
  return { line, column: offset - before.lastIndexOf('\n') - 1 };
}

/** One operand of a command: `.a.b`, `"text"`, or a function name; `at` is its offset in the action. */
interface Operand {
  text: string;
  at: number;
}

function splitCommands(action: string): Operand[][] {
  const commands: Operand[][] = [[]];
  let i = 0;
  while (i < action.length) {
    const char = action[i]!;
    if (char === ' ') i += 1;
    else if (char === '|') {
      commands.push([]);
      i += 1;
    } else if (char === '"') {
      let j = i + 1;
      while (action[j] !== '"') j += action[j] === '\\' ? 2 : 1;
      commands[commands.length - 1]!.push({ text: action.slice(i, j + 1), at: i });
      i = j + 1;
    } else {
      let j = i;
      while (j < action.length && action[j] !== ' ' && action[j] !== '|') j += 1;
      commands[commands.length - 1]!.push({ text: action.slice(i, j), at: i });
      i = j;
    }
  }
  return commands;
}

function isEmpty(value: Value): boolean {
  if (value === NO_VALUE || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && value.kind !== 'time') return Object.keys(value).length === 0;
  return false;
}

function formatGoTime(layout: string, time: GoTime): string {
  const date = new Date(time.unixSeconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  // Only the layout elements the demo's templates use; the render ran in UTC.
  return layout
    .replace('2006', String(date.getUTCFullYear()))
    .replace('01', pad(date.getUTCMonth() + 1))
    .replace('02', pad(date.getUTCDate()))
    .replace('15', pad(date.getUTCHours()))
    .replace('04', pad(date.getUTCMinutes()))
    .replace('05', pad(date.getUTCSeconds()))
    .replace(/\.(0+)/, (_, zeros: string) => `.${time.nanos.slice(0, zeros.length)}`)
    .replace('Z07:00', 'Z');
}

/** encoding/json's Marshal: sorted keys, no spaces, <, > and & escaped for HTML. */
function goJson(value: Value): string {
  if (value === NO_VALUE || value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value.kind === 'time') throw new TemplateError('toJson of a time is not used by the demo');
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${goJson(key)}:${goJson((value as Record<string, Value>)[key]!)}`);
  return `{${entries.join(',')}}`;
}

function printValue(value: Value): string {
  if (value === NO_VALUE || value === null) return '<no value>';
  if (typeof value === 'object') throw new TemplateError('printing a map, list or time is not used by the demo');
  return String(value);
}

interface Scope {
  data: Value;
  now: GoTime;
  name: string;
  token: Token;
}

function failAt(scope: Scope, operand: Operand, problem: string): never {
  const column = scope.token.column + operand.at;
  throw new TemplateError(
    `template: ${scope.name}:${scope.token.line}:${column}: executing "${scope.name}" at <${operand.text}>: ${problem}`,
  );
}

function evaluateOperand(scope: Scope, operand: Operand): Value {
  if (operand.text.startsWith('"')) return JSON.parse(operand.text) as string;
  if (operand.text.startsWith('.')) {
    let value: Value = scope.data;
    for (const key of operand.text.slice(1).split('.')) {
      const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
      value = isMap ? ((value as Record<string, Value>)[key] ?? NO_VALUE) : NO_VALUE;
    }
    return value;
  }
  if (operand.text === 'now') return scope.now;
  return failAt(scope, operand, `function "${operand.text}" not defined`);
}

function callFunction(scope: Scope, name: Operand, operands: Operand[], args: Value[]): Value {
  const last = operands[operands.length - 1] ?? name;
  switch (name.text) {
    case 'default':
      return isEmpty(args[1] ?? NO_VALUE) ? args[0]! : args[1]!;
    case 'replace': {
      const [from, to, text] = args;
      if (typeof text !== 'string') failAt(scope, last, 'invalid value; expected string');
      return text.split(from as string).join(to as string);
    }
    case 'toJson':
      return goJson(args[0] ?? NO_VALUE);
    case 'date': {
      // sprig formats time values; anything else (a timestamp string) is formatted as now.
      const value = args[1];
      const time = typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'time';
      return formatGoTime(args[0] as string, time ? (value as GoTime) : scope.now);
    }
    case 'unixEpoch':
      return String((args[0] as GoTime).unixSeconds);
    case 'eq': {
      const [left, right] = args;
      if (typeof left !== typeof right || left === NO_VALUE) failAt(scope, name, 'incompatible types for comparison');
      return left === right;
    }
    default:
      return failAt(scope, name, `function "${name.text}" not defined`);
  }
}

function evaluatePipeline(scope: Scope, action: string, offset: number): Value {
  let piped: Value | undefined;
  for (const command of splitCommands(action)) {
    const [head, ...rest] = command.map((operand) => ({ ...operand, at: operand.at + offset }));
    if (!head) throw new TemplateError('empty command');
    const isFunction = !head.text.startsWith('.') && !head.text.startsWith('"') && head.text !== 'now';
    if (!isFunction) {
      piped = evaluateOperand(scope, head);
      continue;
    }
    const args = rest.map((operand) => evaluateOperand(scope, operand));
    if (piped !== undefined) args.push(piped);
    piped = callFunction(scope, head, rest, args);
  }
  return piped ?? NO_VALUE;
}

function parseNow(now: Date | string): GoTime {
  const iso = typeof now === 'string' ? now : now.toISOString();
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!match) throw new TemplateError(`now must be a UTC timestamp, got ${iso}`);
  return { kind: 'time', unixSeconds: Date.parse(`${match[1]}Z`) / 1000, nanos: (match[2] ?? '').padEnd(9, '0') };
}

/** Renders one template against its variables (`app`, `context`, …), or says why Go would refuse. */
export function renderNotificationTemplate(
  template: NotificationTemplate,
  variables: Record<string, unknown>,
  now: Date | string,
): RenderResult {
  const base = { data: variables as Value, now: parseNow(now), name: template.name };
  let out = '';
  // Each open `if` remembers whether its branch is the one written.
  const branches: Array<{ taken: boolean; writing: boolean }> = [];
  const writing = () => branches.every((branch) => branch.writing);
  try {
    for (const token of tokenize(template.body)) {
      if (token.kind === 'text') {
        if (writing()) out += token.text;
        continue;
      }
      const scope = { ...base, token };
      const action = token.text.trim();
      const offset = token.text.indexOf(action);
      if (action.startsWith('if ')) {
        const taken = writing() && !isEmpty(evaluatePipeline(scope, action.slice(3), offset + 3));
        branches.push({ taken, writing: taken });
      } else if (action === 'else') {
        const branch = branches[branches.length - 1]!;
        branch.writing = !branch.taken;
      } else if (action === 'end') {
        branches.pop();
      } else if (writing()) {
        out += printValue(evaluatePipeline(scope, action, offset));
      }
    }
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, text: out };
}
