// Fails when src/api/schema.d.ts is not what `npm run gen:api` makes from the
// current OpenAPI document (CI runs it after `api openapi > target/openapi.json`).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const spec = process.argv[2] ?? '../target/openapi.json'
const dir = mkdtempSync(join(tmpdir(), 'api-check-'))
const fresh = join(dir, 'schema.d.ts')
try {
  execFileSync('npx', ['openapi-typescript', spec, '-o', fresh], { stdio: 'ignore' })
  if (readFileSync(fresh, 'utf8') !== readFileSync('src/api/schema.d.ts', 'utf8')) {
    console.error('src/api/schema.d.ts is stale: run `npm run gen:api` and commit it.')
    process.exit(1)
  }
  console.log('src/api/schema.d.ts is up to date.')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
