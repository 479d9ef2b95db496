import { describe, expect, it } from 'vitest'
import en from '@/console/i18n/en'
import es from '@/console/i18n/es'
import ro from '@/console/i18n/ro'
import ru from '@/console/i18n/ru'
import { consoleI18n } from './helpers'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('console messages', () => {
  it.each([['es', es], ['ro', ro], ['ru', ru]] as const)('%s has exactly the English keys', (_, m) => {
    expect(keys(m).sort()).toEqual(keys(en).sort())
  })
  it('plural forms: Russian and Romanian segments', () => {
    const i18n = consoleI18n('ru')
    const t = i18n.global.t
    expect(t('c.templates.segments', { n: 1 }, 1)).toBe('1 сегмент')
    expect(t('c.templates.segments', { n: 3 }, 3)).toBe('3 сегмента')
    expect(t('c.templates.segments', { n: 5 }, 5)).toBe('5 сегментов')
    i18n.global.locale.value = 'ro'
    expect(t('c.templates.segments', { n: 20 }, 20)).toBe('20 de segmente')
  })
})

describe('loadConsoleMessages', () => {
  it('adds English at once and another language on demand', async () => {
    const { makeI18n } = await import('@/common/i18n')
    const { loadConsoleMessages } = await import('@/console/i18n')
    const i18n = makeI18n('es')
    await loadConsoleMessages(i18n.global, 'es')
    expect(i18n.global.t('c.nav.orders')).toBe('Pedidos')
    i18n.global.locale.value = 'en'
    expect(i18n.global.t('c.nav.orders')).toBe('Orders')
  })
})
