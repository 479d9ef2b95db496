// The console's messages, under `c.`: merged into the shared i18n instance
// by console/main.ts only, so the shopper's bundle does not carry them.
// English (the fallback) is in the first load; es, ro and ru are chunks
// loaded for the language in use.
import type { Composer } from 'vue-i18n'
import type { Locale } from '@/common/api/types'
import en from './en'

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<{ default: typeof en }>> = {
  es: () => import('./es'),
  ro: () => import('./ro'),
  ru: () => import('./ru'),
}
const loadedBy = new WeakMap<object, Set<Locale>>()

/** Adds the console's messages for `locale` (and English) to the i18n instance. */
export async function loadConsoleMessages(i18n: Pick<Composer, 'mergeLocaleMessage'>, locale: Locale): Promise<void> {
  let loaded = loadedBy.get(i18n)
  if (!loaded) loadedBy.set(i18n, (loaded = new Set()))
  if (!loaded.has('en')) {
    i18n.mergeLocaleMessage('en', { c: en })
    loaded.add('en')
  }
  if (locale === 'en' || loaded.has(locale)) return
  const messages = (await loaders[locale]()).default
  i18n.mergeLocaleMessage(locale, { c: messages })
  loaded.add(locale)
}
