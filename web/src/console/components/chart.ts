// What the two charts share: their width (measured, so text keeps its size
// on a phone), a y scale with round ticks, and series styles that differ in
// more than colour (a dash pattern each).
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** A line of LineChart: one value per period, null for a gap. */
export interface LineSeries {
  key: string
  label: string
  values: (number | null)[]
  /** Palette slot, to keep a group's colour across charts (default: its position). */
  color?: number
}

/** A bar of BarChart; a null value is drawn as an empty track, "—". */
export interface Bar {
  key: string
  label: string
  value: number | null
  /** Beside the value (e.g. how many ratings it is from). */
  detail?: string
  color?: number
}

/** Colours are classes (console.css `.chart-s0`…); lines also differ by dash. */
export const SERIES = 6
export const DASHES = ['', '7 4', '2 3', '9 3 2 3', '4 2', '1 4']
export const seriesClass = (i: number) => `chart-s${i % SERIES}`
export const dash = (i: number) => DASHES[i % DASHES.length] || undefined

/** The width of `el`, following it as it resizes. */
export function useWidth(el: Ref<HTMLElement | null>, fallback = 560) {
  const width = ref(fallback)
  let observer: ResizeObserver | null = null
  const measure = () => {
    const w = el.value?.clientWidth ?? 0
    if (w > 0) width.value = Math.round(w)
  }
  onMounted(() => {
    measure()
    if (typeof ResizeObserver !== 'undefined' && el.value) {
      observer = new ResizeObserver(measure)
      observer.observe(el.value)
    }
  })
  onBeforeUnmount(() => observer?.disconnect())
  return width
}

/** A step of 1, 2, 2.5 or 5 × 10ⁿ at least `raw` (no 2.5 for whole numbers). */
function niceStep(raw: number, integer: boolean): number {
  if (integer && raw <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(raw))
  const steps = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]
  return (steps.find((m) => m * p >= raw - 1e-9 * p) ?? 10) * p
}

/** Five ticks from 0 to a round top at least `max` (`integer`: whole steps, for counts). */
export function yTicks(max: number, integer = false): number[] {
  const step = niceStep(max > 0 ? max / 4 : 0.25, integer)
  return [0, 1, 2, 3, 4].map((i) => i * step)
}
