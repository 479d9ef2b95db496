// Tera (Jinja-like) highlighting for CodeMirror: a small StreamLanguage for
// `{{ expr }}`, `{% stmt %}` and `{# comment #}`; text outside is plain.
import { StreamLanguage, type StringStream } from '@codemirror/language'

interface TeraState {
  inside: null | 'expr' | 'stmt' | 'comment'
}

const KEYWORDS = new Set([
  'if', 'elif', 'else', 'endif', 'for', 'in', 'endfor', 'set', 'set_global', 'block', 'endblock', 'extends', 'include',
  'import', 'macro', 'endmacro', 'filter', 'endfilter', 'raw', 'endraw', 'break', 'continue', 'not', 'and', 'or', 'is', 'as',
  'true', 'false', 'True', 'False', 'loop',
])

export function teraToken(stream: StringStream, state: TeraState): string | null {
  if (state.inside === 'comment') {
    if (stream.skipTo('#}')) {
      stream.match('#}')
      state.inside = null
    } else stream.skipToEnd()
    return 'comment'
  }
  if (state.inside === null) {
    if (stream.match('{{') || stream.match('{%')) {
      state.inside = stream.current().endsWith('%') ? 'stmt' : 'expr'
      stream.match('-')
      return 'brace'
    }
    if (stream.match('{#')) {
      state.inside = 'comment'
      return 'comment'
    }
    stream.next()
    while (!stream.eol() && stream.peek() !== '{') stream.next()
    return null
  }
  if (stream.eatSpace()) return null
  if (stream.match(/^-?(\}\}|%\})/)) {
    state.inside = null
    return 'brace'
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'(?:[^'\\]|\\.)*'?/) || stream.match(/^`[^`]*`?/)) return 'string'
  if (stream.match(/^\d+(\.\d+)?/)) return 'number'
  if (stream.match(/^\|\s*[A-Za-z_]\w*/)) return 'operator'
  const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null
  if (word) return KEYWORDS.has(word[0]) ? 'keyword' : 'variableName'
  stream.next()
  return 'operator'
}

export const tera = StreamLanguage.define<TeraState>({
  name: 'tera',
  startState: () => ({ inside: null }),
  copyState: (s) => ({ inside: s.inside }),
  token: teraToken,
})
