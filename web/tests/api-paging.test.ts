import { afterAll, describe, expect, it, vi } from 'vitest'

// openapi-fetch takes `fetch` when the client is made: stub it first.
const calls = vi.hoisted(() => {
  const calls: Request[] = []
  const older = '/api/v1/orders/o1/timeline?cursor=c%2B3&order=newest&locale=es'
  vi.stubGlobal('fetch', async (req: Request) => {
    calls.push(req)
    if (req.url.includes('cursor=bad')) {
      return new Response(JSON.stringify({ error: 'invalid_field', message: 'cursor is not one this endpoint gave out', field: 'cursor' }), { status: 422 })
    }
    const first = !new URL(req.url).searchParams.has('cursor')
    const headers = new Headers({ 'Content-Type': 'application/json' })
    if (first) headers.set('Link', `<${older}>; rel="next"`)
    const body = [{ kind: 'status_change', occurred_at: '2026-03-01T10:00:00Z', title: first ? 'Newest' : 'Oldest' }]
    return new Response(JSON.stringify(body), { status: 200, headers })
  })
  return calls
})
import { getOlderTimeline, getTimeline } from '@/common/api/client'
import { ApiError } from '@/common/api/errors'

afterAll(() => vi.unstubAllGlobals())

describe('timeline pages', () => {
  it('gives the entries and the next path, and follows that path as it is through the same client', async () => {
    const first = await getTimeline('o1', 'es')
    expect(first.entries.map((e) => e.title)).toEqual(['Newest'])
    expect(first.next).toBe('/api/v1/orders/o1/timeline?cursor=c%2B3&order=newest&locale=es')

    const last = await getOlderTimeline(first.next!)
    expect(last).toEqual({ entries: [expect.objectContaining({ title: 'Oldest' })], next: null })
    const req = calls[1]
    expect(new URL(req.url).pathname + new URL(req.url).search).toBe(first.next)
    expect(req.method).toBe('GET')
    expect(req.credentials).toBe('same-origin')
    expect(req.headers.get('Accept-Language')).toBe('en')
  })

  it('fails as every call does', async () => {
    const error = await getOlderTimeline('/api/v1/orders/o1/timeline?cursor=bad').catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, field: 'cursor' })
  })
})
