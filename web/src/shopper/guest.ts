import type { TimelineEntry } from '@/common/api/types'

/** Guest views list the history oldest first; pages show it newest first. */
export function reverseTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at))
}
