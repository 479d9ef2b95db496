import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import type { Component } from 'vue'
import { makeI18n } from '@/common/i18n'
import type { Locale } from '@/common/api/types'
import { setTimeZone } from '@/common/format'

export function mountIn<C extends Component>(component: C, locale: Locale, options: ComponentMountingOptions<C> = {}) {
  setTimeZone('UTC')
  const i18n = makeI18n(locale)
  return mount(component, {
    ...options,
    global: {
      plugins: [i18n],
      stubs: { RouterLink: { template: '<a><slot /></a>' } },
      ...(options.global ?? {}),
    },
  } as ComponentMountingOptions<C>)
}
