import { createI18n } from 'vue-i18n'
import en from './locales/en'
import es from './locales/es'
import ro from './locales/ro'
import ru from './locales/ru'
import { romanian, russian } from './plural'
import { setApiLanguage } from '../api/http'
import type { Locale } from '../api/types'

export { LOCALES } from '../api/types'
export type { Locale }

export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  ro: 'Română',
  ru: 'Русский',
}

export const messages = { en, es, ro, ru }

const STORAGE_KEY = 'ordertrack.locale'

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'es' || value === 'ro' || value === 'ru'
}

/** The best of the browser's languages we write, else English. */
export function browserLocale(): Locale {
  const langs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])
  for (const tag of langs) {
    const base = tag?.slice(0, 2).toLowerCase()
    if (isLocale(base)) return base
  }
  return 'en'
}

/** A language the shopper chose here before (not a secret: fine to keep). */
export function rememberedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return isLocale(value) ? value : null
  } catch {
    return null
  }
}

export function makeI18n(locale: Locale = 'en') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    pluralRules: { ru: russian, ro: romanian },
    missingWarn: false,
    fallbackWarn: false,
  })
}

export const i18n = makeI18n(rememberedLocale() ?? browserLocale())

/** Switches the language of the app, the API texts and `<html lang>`. */
export function setLocale(locale: Locale, remember = false): void {
  i18n.global.locale.value = locale
  setApiLanguage(locale)
  if (typeof document !== 'undefined') document.documentElement.lang = locale
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    } catch {
      /* private mode: keep it for this visit only */
    }
  }
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}
