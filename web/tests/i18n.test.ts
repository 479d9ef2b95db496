import { describe, expect, it } from 'vitest'
import { romanian, russian } from '@/common/i18n/plural'
import { makeI18n, messages } from '@/common/i18n'
import { relativeDay } from '@/common/format'

function leaves(obj: object, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'string' ? [[prefix + k, v] as [string, string]] : leaves(v as object, `${prefix}${k}.`),
  )
}

describe('plural rules', () => {
  it('Russian: one, few, many', () => {
    const forms = [1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0].map((n) => russian(n, 3))
    expect(forms).toEqual([0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 2, 0, 2, 2])
  })
  it('Romanian: one, few, other', () => {
    const forms = [1, 0, 2, 19, 20, 21, 100, 101, 119, 120].map((n) => romanian(n, 3))
    expect(forms).toEqual([0, 1, 1, 1, 2, 2, 2, 1, 1, 2])
  })
})

describe('messages', () => {
  const en = new Map(leaves(messages.en))
  for (const locale of ['es', 'ro', 'ru'] as const) {
    it(`${locale} has every English key, translated`, () => {
      const other = new Map(leaves(messages[locale]))
      expect([...other.keys()].sort()).toEqual([...en.keys()].sort())
      const same = [...en].filter(([k, v]) => other.get(k) === v && !/^(SMS|Push|iPhone|English)$/.test(v))
      expect(same.map(([k]) => k)).toEqual([])
    })
  }

  const cases: [string, number, Record<string, string>][] = [
    ['order.parcels', 1, { en: '1 parcel', es: '1 paquete', ro: '1 colet', ru: '1 посылка' }],
    ['order.parcels', 2, { en: '2 parcels', es: '2 paquetes', ro: '2 colete', ru: '2 посылки' }],
    ['order.parcels', 5, { en: '5 parcels', es: '5 paquetes', ro: '5 colete', ru: '5 посылок' }],
    ['order.parcels', 20, { en: '20 parcels', es: '20 paquetes', ro: '20 de colete', ru: '20 посылок' }],
    ['order.updates', 1, { en: '1 update', es: '1 novedad', ro: '1 actualizare', ru: '1 обновление' }],
    ['order.updates', 3, { en: '3 updates', es: '3 novedades', ro: '3 actualizări', ru: '3 обновления' }],
    ['order.updates', 5, { en: '5 updates', es: '5 novedades', ro: '5 actualizări', ru: '5 обновлений' }],
    ['dashboard.count', 2, { en: '2 orders', es: '2 pedidos', ro: '2 comenzi', ru: '2 заказа' }],
    ['settings.cooldown', 5, {
      en: 'You can ask for a new code in 5 seconds.',
      es: 'Podrás pedir un código nuevo dentro de 5 segundos.',
      ro: 'Poți cere un cod nou peste 5 secunde.',
      ru: 'Новый код можно запросить через 5 секунд.',
    }],
    ['settings.cooldown', 1, {
      en: 'You can ask for a new code in 1 second.',
      es: 'Podrás pedir un código nuevo dentro de 1 segundo.',
      ro: 'Poți cere un cod nou peste 1 secundă.',
      ru: 'Новый код можно запросить через 1 секунду.',
    }],
  ]
  for (const [key, n, expected] of cases) {
    for (const [locale, text] of Object.entries(expected)) {
      it(`${key} × ${n} in ${locale}`, () => {
        const i18n = makeI18n(locale as 'en')
        expect(i18n.global.t(key, n)).toBe(text)
      })
    }
  }
})

describe('relative days', () => {
  const now = Date.UTC(2026, 2, 10, 12)
  const at = (d: number) => new Date(Date.UTC(2026, 2, d, 15)).toISOString()
  it('tomorrow and in 2 days, in the shopper language', () => {
    expect(relativeDay(at(11), 'en', now, 'UTC')).toBe('tomorrow')
    expect(relativeDay(at(12), 'en', now, 'UTC')).toBe('in 2 days')
    expect(relativeDay(at(11), 'es', now, 'UTC')).toBe('mañana')
    expect(relativeDay(at(11), 'ru', now, 'UTC')).toBe('завтра')
    expect(relativeDay(at(12), 'ro', now, 'UTC')).toBe('poimâine')
    expect(relativeDay(at(10), 'en', now, 'UTC')).toBe('today')
  })
  it('counts days in the shopper zone, not UTC', () => {
    // 23:30 UTC on the 10th is already the 11th in Moscow.
    const late = new Date(Date.UTC(2026, 2, 10, 23, 30)).toISOString()
    expect(relativeDay(late, 'en', now, 'UTC')).toBe('today')
    expect(relativeDay(late, 'en', now, 'Europe/Moscow')).toBe('tomorrow')
  })
})
