import { describe, expect, it } from 'vitest'
import { nextLink } from '@/common/api/link'

const next = '/api/v1/orders/o1/timeline?cursor=abc_-1&order=newest&locale=en'

describe('nextLink', () => {
  it('reads what the API sends', () => {
    expect(nextLink(`<${next}>; rel="next"`)).toBe(next)
  })

  it('picks rel="next" among several links', () => {
    const header = `</api/v1/orders/o1/timeline?order=newest>; rel="first", <${next}>; rel="next", </x?c=9>; rel="last"`
    expect(nextLink(header)).toBe(next)
    expect(nextLink(`</a>; rel="prev"; title="a, <b>; rel=next", <${next}>; title="older"; rel="next"`)).toBe(next)
  })

  it('takes rel quoted or not, in any case, among other relations', () => {
    expect(nextLink(`<${next}>; rel=next`)).toBe(next)
    expect(nextLink(`<${next}>;rel=NEXT, </p>; rel=prev`)).toBe(next)
    expect(nextLink(`<${next}> ; rel = "last next"`)).toBe(next)
    expect(nextLink(`<${next}>; rel="nextpage"`)).toBeNull()
  })

  it('is null without a header or a next link', () => {
    expect(nextLink(null)).toBeNull()
    expect(nextLink(undefined)).toBeNull()
    expect(nextLink('')).toBeNull()
    expect(nextLink('</p>; rel="prev"')).toBeNull()
  })

  it('is null for garbage', () => {
    for (const header of ['next', 'rel="next"', `${next}; rel="next"`, `<${next}`, `<${next}>`, '<>; rel="next"', '<<>>;;rel=', '"<"; rel="next"']) {
      expect(nextLink(header), header).toBeNull()
    }
  })

  it('ignores links off this origin', () => {
    for (const target of ['https://evil.example/api', '//evil.example/api', '/\\evil.example', 'javascript:alert(1)', 'api/v1/x']) {
      expect(nextLink(`<${target}>; rel="next"`), target).toBeNull()
    }
  })
})
