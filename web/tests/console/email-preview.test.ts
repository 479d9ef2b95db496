import { describe, expect, it } from 'vitest'
import { buildEmailPreview } from '@/console/emailPreview'

const EMAIL = `<!DOCTYPE html><html><head><style>h1{color:red}</style><script>alert(1)</script></head>
<body style="margin:0;background:#f4f5f7" onload="alert(2)">
<h1 style="font-size:22px">Your order</h1>
<a href="https://shop.example/t/abc" style="color:#2563eb" onclick="steal()">Track</a>
<a href="javascript:alert(3)">bad</a>
<img src="https://cdn.example/logo.png" srcset="x 2x" onerror="alert(4)">
<form action="https://evil.example"><input name="x"></form>
<iframe srcdoc="<p>x</p>"></iframe>
</body></html>`

describe('buildEmailPreview', () => {
  it('keeps the content and its styles, moving inline styles out of the markup', () => {
    const { body, styles, applyStyles } = buildEmailPreview(EMAIL)
    expect(styles).toEqual(['h1{color:red}'])
    expect(body.querySelector('h1')?.textContent).toBe('Your order')
    expect(body.querySelector('[style]')).toBeNull()
    applyStyles()
    expect(body.querySelector('h1')?.style.fontSize).toBe('22px')
    expect(body.style.margin).toBe('0px')
    expect(body.outerHTML).not.toContain('data-preview-style')
  })

  it('drops anything that could run or load: scripts, handlers, javascript: links, forms, frames', () => {
    const { body } = buildEmailPreview(EMAIL)
    const html = body.outerHTML
    expect(html).not.toMatch(/script|onload|onclick|onerror|srcset|javascript:|<form|<input|<iframe/i)
    const links = [...body.querySelectorAll('a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://shop.example/t/abc', null])
    expect(body.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/logo.png')
  })

  it('a forged parked style in the source is not applied, and text that reads style= stays text', () => {
    const { body, applyStyles } = buildEmailPreview('<p data-preview-style-00="display:none">Set style=bold</p>')
    applyStyles()
    expect(body.querySelector('p')?.style.display).toBe('')
    expect(body.querySelector('p')?.textContent).toBe('Set style=bold')
  })
})
