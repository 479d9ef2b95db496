// `Link` headers (RFC 8288): how the API points at a list's next page.

// `<target>` and its `; name=value` parameters, up to the next link (quoted
// values may hold `<`, `,` or `;`).
const LINK = /<([^>]*)>((?:[^<"]|"[^"]*")*)/g
const REL = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i

/**
 * The target of the `rel="next"` link, or null. Only a path on this origin
 * counts: the API sends those, and anything else must not get our calls.
 */
export function nextLink(header: string | null | undefined): string | null {
  for (const [, target, params] of (header ?? '').matchAll(LINK)) {
    const rel = REL.exec(params)
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (rels.includes('next') && /^\/(?![/\\])/.test(target)) return target
  }
  return null
}
