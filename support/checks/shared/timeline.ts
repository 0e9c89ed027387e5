import { formatDuration } from '../../engine/errors';

export function timelineText(timeline: { atMs: number; summary: string }[]): string {
  return timeline.map((t) => `+${formatDuration(t.atMs).padEnd(7)} ${t.summary}`).join('\n');
}
