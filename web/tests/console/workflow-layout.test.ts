import { describe, expect, it } from 'vitest'
import { layoutWorkflow } from '@/console/workflowLayout'

const STATES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'returned']
const EDGES = [
  { from: 'pending', to: 'confirmed' },
  { from: 'pending', to: 'cancelled' },
  { from: 'confirmed', to: 'shipped' },
  { from: 'shipped', to: 'delivered' },
  { from: 'delivered', to: 'returned' },
  { from: 'shipped', to: 'confirmed' },
]

describe('layoutWorkflow', () => {
  const layout = layoutWorkflow(STATES, EDGES, { start: 'pending', finals: ['delivered', 'cancelled', 'returned'] })
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!

  it('puts states in rows by their distance from the start', () => {
    expect(node('pending').layer).toBe(0)
    expect(node('confirmed').layer).toBe(1)
    expect(node('cancelled').layer).toBe(1)
    expect(node('shipped').layer).toBe(2)
    expect(node('delivered').layer).toBe(3)
    expect(node('returned').layer).toBe(4)
  })
  it('keeps the given order inside a column and does not overlap boxes', () => {
    expect(node('confirmed').index).toBe(0)
    expect(node('cancelled').index).toBe(1)
    const boxes = layout.nodes.map((n) => `${n.x},${n.y}`)
    expect(new Set(boxes).size).toBe(boxes.length)
    for (const n of layout.nodes) {
      expect(n.x + layout.nodeWidth).toBeLessThanOrEqual(layout.width)
      expect(n.y + layout.nodeHeight).toBeLessThanOrEqual(layout.height)
    }
  })
  it('draws one path per transition; back edges are marked', () => {
    expect(layout.edges).toHaveLength(EDGES.length)
    expect(layout.edges.find((e) => e.from === 'shipped' && e.to === 'confirmed')!.back).toBe(true)
    expect(layout.edges.find((e) => e.from === 'pending' && e.to === 'confirmed')!.back).toBe(false)
    for (const e of layout.edges) expect(e.d).toMatch(/^M[\d.]+,[\d.]+ C/)
  })
  it('marks unreachable states (last row) and dead ends that are not final', () => {
    const l = layoutWorkflow(['pending', 'confirmed', 'on_hold', 'delivered'], [{ from: 'pending', to: 'confirmed' }], {
      start: 'pending',
      finals: ['delivered'],
    })
    const on = l.nodes.find((n) => n.id === 'on_hold')!
    expect(on.reachable).toBe(false)
    expect(on.layer).toBe(2)
    expect(l.nodes.find((n) => n.id === 'confirmed')!.deadEnd).toBe(true)
    expect(l.nodes.find((n) => n.id === 'delivered')!.deadEnd).toBe(false)
    expect(l.nodes.find((n) => n.id === 'delivered')!.reachable).toBe(false)
  })
  it('an empty workflow still lays out every state', () => {
    const l = layoutWorkflow(['a', 'b'], [])
    expect(l.nodes).toHaveLength(2)
    expect(l.edges).toHaveLength(0)
  })
})
