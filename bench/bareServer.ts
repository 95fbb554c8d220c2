/**
 * The machine's limit: a bare Node `http` server answering each benchmark request with the exact
 * bytes the platform serves for it, from memory. Reads its fixtures from the JSON file named by
 * BARE_FIXTURES ({ "<method> <path>": { status, headers, body (base64) } }) and prints its URL.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

type Fixture = { status: number; headers: Record<string, string>; body: string }
type Prepared = { status: number; headers: Record<string, string>; body: Buffer }

const fixtures = JSON.parse(readFileSync(process.env.BARE_FIXTURES!, 'utf8')) as Record<string, Fixture>
const prepared = new Map<string, Prepared>(
  Object.entries(fixtures).map(([key, fixture]) => {
    const body = Buffer.from(fixture.body, 'base64')
    return [key, { status: fixture.status, headers: { ...fixture.headers, 'content-length': String(body.length) }, body }]
  }),
)

const server = createServer((req, res) => {
  const fixture = prepared.get(`${req.method} ${req.url}`)
  const answer = () => {
    if (!fixture) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(fixture.status, fixture.headers)
    res.end(fixture.body)
  }
  if (req.method === 'POST') req.on('data', () => {}).on('end', answer)
  else answer()
})
server.keepAliveTimeout = 65_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object') process.stdout.write(`listening http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
