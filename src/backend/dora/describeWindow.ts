/** `30d` → "the last 30 days", `1h` → "the last hour": the window as the figures' sentences name it. */
export function describeWindow(label: string): string {
  const match = /^(\d+)([dh])$/.exec(label);
  if (!match) return `the window ${label}`;
  const count = Number(match[1]);
  const unit = match[2] === 'd' ? 'day' : 'hour';
  return count === 1 ? `the last ${unit}` : `the last ${count} ${unit}s`;
}
