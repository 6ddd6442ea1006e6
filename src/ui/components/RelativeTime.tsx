import * as React from 'react';
import { formatAbsoluteTime, formatRelativeTime } from '../format/formatTime';

interface RelativeTimeProps {
  iso: string;
  /** Epoch ms the relative text is measured from; the list passes one value so rows agree. */
  now: number;
}

/** "3 minutes ago", with the exact time on hover and for screen readers. */
export function RelativeTime({ iso, now }: RelativeTimeProps) {
  const absolute = formatAbsoluteTime(iso);
  return (
    <time className="cdevents-time" dateTime={iso} title={absolute}>
      {formatRelativeTime(iso, now) || absolute}
    </time>
  );
}
