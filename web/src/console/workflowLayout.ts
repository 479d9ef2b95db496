// A layered layout of the workflow graph for the diagram: states in rows
// by their distance from the start (BFS over the transitions), in a stable
// order inside each row; unreachable states in a last row. Pure, so it
// is unit-tested; the SVG only draws what it returns.

export interface Edge {
  from: string
  to: string
}

export interface NodeBox {
  id: string
  layer: number
  index: number
  x: number
  y: number
  reachable: boolean
  /** No way out, and not a final state. */
  deadEnd: boolean
}

export interface EdgePath {
  from: string
  to: string
  d: string
  /** Goes to the same or an earlier row (drawn as an arc). */
  back: boolean
}

export interface Layout {
  nodes: NodeBox[]
  edges: EdgePath[]
  width: number
  height: number
  nodeWidth: number
  nodeHeight: number
}

export interface LayoutOptions {
  start?: string
  /** States where the workflow may end: not dead ends. */
  finals?: string[]
  nodeWidth?: number
  nodeHeight?: number
  gapX?: number
  gapY?: number
  pad?: number
}

export function layoutWorkflow(states: string[], edges: Edge[], options: LayoutOptions = {}): Layout {
  const start = options.start ?? states[0]
  const finals = new Set(options.finals ?? [])
  const nodeWidth = options.nodeWidth ?? 150
  const nodeHeight = options.nodeHeight ?? 38
  const gapX = options.gapX ?? 28
  const gapY = options.gapY ?? 34
  const pad = options.pad ?? 16
  const order = new Map(states.map((s, i) => [s, i]))

  const out = new Map<string, string[]>()
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to])

  // Breadth-first from the start: the row is the shortest distance.
  const layerOf = new Map<string, number>()
  if (start !== undefined && order.has(start)) {
    layerOf.set(start, 0)
    const queue = [start]
    while (queue.length) {
      const s = queue.shift()!
      const next = [...(out.get(s) ?? [])].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      for (const t of next) {
        if (!layerOf.has(t) && order.has(t)) {
          layerOf.set(t, layerOf.get(s)! + 1)
          queue.push(t)
        }
      }
    }
  }
  const maxLayer = Math.max(0, ...layerOf.values())
  // Unreachable states get a row of their own, after the last.
  const unreachableLayer = maxLayer + 1
  const columns = new Map<number, string[]>()
  for (const s of states) {
    const layer = layerOf.get(s) ?? unreachableLayer
    columns.set(layer, [...(columns.get(layer) ?? []), s])
  }

  // Top to bottom: a row per layer, each row centred.
  const layers = [...columns.keys()].sort((a, b) => a - b)
  const cols = Math.max(1, ...layers.map((l) => columns.get(l)!.length))
  const rowWidth = (n: number) => n * nodeWidth + Math.max(0, n - 1) * gapX
  const gridWidth = rowWidth(cols)
  const nodes: NodeBox[] = []
  const byId = new Map<string, NodeBox>()
  layers.forEach((layer, row) => {
    const ids = columns.get(layer)!
    const offset = (gridWidth - rowWidth(ids.length)) / 2
    ids.forEach((id, index) => {
      const node: NodeBox = {
        id,
        layer: row,
        index,
        x: pad + offset + index * (nodeWidth + gapX),
        y: pad + row * (nodeHeight + gapY),
        reachable: layerOf.has(id),
        deadEnd: !finals.has(id) && (out.get(id)?.length ?? 0) === 0,
      }
      nodes.push(node)
      byId.set(id, node)
    })
  })

  // Forward edges go down (bottom centre to top centre); edges to the same
  // or an earlier row loop round the right of the grid, each a little wider.
  const paths: EdgePath[] = []
  let backs = 0
  for (const e of edges) {
    const a = byId.get(e.from)
    const b = byId.get(e.to)
    if (!a || !b) continue
    const sideways = b.layer === a.layer && b.x > a.x
    const back = b.layer <= a.layer && !sideways
    let d: string
    if (sideways) {
      // A neighbour in the same row, to the right: a straight arrow.
      const y = a.y + nodeHeight / 2
      d = `M${a.x + nodeWidth},${y} C${a.x + nodeWidth + 4},${y} ${b.x - 4},${y} ${b.x},${y}`
    } else if (!back) {
      const x1 = a.x + nodeWidth / 2
      const y1 = a.y + nodeHeight
      const x2 = b.x + nodeWidth / 2
      const y2 = b.y
      const my = (y1 + y2) / 2
      d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`
    } else {
      backs += 1
      const x1 = a.x + nodeWidth
      const y1 = a.y + nodeHeight / 2 + 6
      const x2 = b.x + nodeWidth
      const y2 = b.y + nodeHeight / 2 - 6
      const xr = pad + gridWidth + 14 + backs * 10
      d = `M${x1},${y1} C${xr},${y1} ${xr},${y2} ${x2},${y2}`
    }
    paths.push({ from: e.from, to: e.to, d, back })
  }
  const rows = layers.length

  return {
    nodes,
    edges: paths,
    width: pad * 2 + gridWidth + 14 + backs * 10 + 10,
    height: pad * 2 + rows * nodeHeight + Math.max(0, rows - 1) * gapY,
    nodeWidth,
    nodeHeight,
  }
}
