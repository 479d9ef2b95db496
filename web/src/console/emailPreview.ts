// An email's HTML shown in the console as the shopper's mail client shows
// it, without loosening the console's Content-Security-Policy.
//
// Email HTML is styled inline (`style="…"`), which `style-src 'self'`
// refuses when a parser meets it: in the page, in a srcdoc iframe (which
// inherits the policy), and in Chromium even in a DOMParser document (a
// violation per attribute, measured). Styles set through the CSSOM are not
// governed by the policy. So each tag's `style` attribute is renamed before
// parsing to a data attribute whose name holds a fresh nonce (a forged one in
// the source cannot match), the HTML is parsed inertly (DOMParser runs
// nothing and loads nothing) and stripped of anything active, and the styles
// are applied with `style.cssText` once the nodes are in the preview's
// shadow root. `<style>` blocks become constructable stylesheets of that
// root, which the policy does not govern either.

const ACTIVE = 'script, iframe, frame, frameset, object, embed, form, input, button, textarea, select, link, meta, base, noscript, template'

export interface EmailPreview {
  /** The email's body, ready to go into a shadow root. */
  body: HTMLElement
  /** The text of its `<style>` blocks. */
  styles: string[]
  /** Applies the inline styles; call once `body` is in its root. */
  applyStyles(): void
}

/** Parses `html` inertly and returns its body, made safe and still styled. */
export function buildEmailPreview(html: string, into: Document = document): EmailPreview {
  const parked = `data-preview-style-${nonce()}`
  const renamed = html.replace(/<[a-zA-Z][^>]*>/g, (tag) => tag.replace(/(\s)style(\s*=)/gi, `$1${parked}$2`))
  const parsed = new DOMParser().parseFromString(renamed, 'text/html')
  const styles = [...parsed.querySelectorAll('style')].map((s) => s.textContent ?? '')
  parsed.querySelectorAll(`style, ${ACTIVE}`).forEach((el) => el.remove())
  for (const el of [parsed.body, ...parsed.body.querySelectorAll('*')]) {
    for (const { name, value } of [...el.attributes]) {
      const lower = name.toLowerCase()
      if (lower.startsWith('on') || lower === 'srcset' || lower === 'style') el.removeAttribute(name)
      else if ((lower === 'href' || lower === 'src' || lower === 'action') && !/^(https?:|mailto:|tel:|#|data:image\/)/i.test(value.trim())) el.removeAttribute(name)
    }
  }
  const body = into.createElement('div')
  body.className = 'email-body'
  const bodyStyle = parsed.body.getAttribute(parked)
  if (bodyStyle) body.setAttribute(parked, bodyStyle)
  for (const child of [...parsed.body.childNodes]) body.appendChild(into.importNode(child, true))
  const applyStyles = () => {
    for (const el of [body, ...body.querySelectorAll<HTMLElement>(`[${parked}]`)]) {
      const css = el.getAttribute(parked)
      if (css === null) continue
      el.style.cssText = css
      el.removeAttribute(parked)
    }
  }
  return { body, styles, applyStyles }
}

function nonce(): string {
  return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0')).join('')
}
