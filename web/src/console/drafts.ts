// Drafts of what staff were typing (a status-change reason, a message, a
// reply, a template body), kept in localStorage per form so that a session
// that expires mid-work loses nothing: sign-in brings them back to the same
// page, which restores the draft. Drafts are not secrets; they are removed
// once the form is sent.
import { ref, watch, type Ref } from 'vue'

const PREFIX = 'ordertrack.console.draft.'

export function readDraft(key: string): string | null {
  try {
    return localStorage.getItem(PREFIX + key)
  } catch {
    return null
  }
}

export function writeDraft(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(PREFIX + key, value)
    else localStorage.removeItem(PREFIX + key)
  } catch {
    /* storage full or private mode: the draft lives in memory only */
  }
}

export function clearDraft(key: string): void {
  writeDraft(key, '')
}

/**
 * A text that saves itself as a draft under `key` (a getter: the key may
 * depend on the route) and starts from the saved draft. `restored` is true
 * when a draft was brought back (the form says so).
 */
export function useDraft(key: () => string, initial = ''): { text: Ref<string>; restored: Ref<boolean>; clear(): void } {
  const text = ref(initial)
  const restored = ref(false)
  const load = () => {
    const saved = readDraft(key())
    restored.value = saved !== null && saved !== '' && saved !== initial
    text.value = saved ?? initial
  }
  load()
  watch(key, load)
  watch(text, (value) => writeDraft(key(), value === initial ? '' : value))
  return {
    text,
    restored,
    clear() {
      clearDraft(key())
      restored.value = false
    },
  }
}
