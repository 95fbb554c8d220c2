import path from 'node:path'

export type DatabaseTarget =
  | { kind: 'sqlite'; url: string; file: string }
  | { kind: 'postgres'; url: string; redacted: string }
  | { kind: 'mongodb'; url: string; redacted: string }

export const DEFAULT_SQLITE_FILE = 'data/vetted.db'

const redact = (url: URL): string => {
  const copy = new URL(url.href)
  if (copy.password) copy.password = '***'
  return copy.href
}

/**
 * Chooses the database from DATABASE_URL. Throws an Error whose message is one line a person can act on;
 * the server entry prints it and exits.
 */
export const parseDatabaseUrl = (raw: string | undefined, cwd: string = process.cwd()): DatabaseTarget => {
  const value = raw?.trim()
  if (!value) {
    const file = path.resolve(cwd, DEFAULT_SQLITE_FILE)
    return { kind: 'sqlite', url: `file:${file}`, file }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase()
  if (scheme === 'file') {
    const rest = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
    if (!rest || rest === '//') throw new Error('DATABASE_URL "file:" names no file; use e.g. file:./data/vetted.db')
    if (rest.includes(':memory:')) return { kind: 'sqlite', url: 'file::memory:', file: ':memory:' }
    const file = path.resolve(cwd, rest.split('?')[0] ?? rest)
    return { kind: 'sqlite', url: `file:${file}`, file }
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const url = parseUrl(value, 'PostgreSQL')
    if (!url.hostname && !url.searchParams.get('host')) throw new Error('DATABASE_URL for PostgreSQL names no host')
    return { kind: 'postgres', url: value, redacted: redact(url) }
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') {
    const url = parseUrl(value, 'MongoDB')
    return { kind: 'mongodb', url: value, redacted: redact(url) }
  }
  throw new Error(
    `DATABASE_URL has an unsupported scheme "${scheme ?? value.slice(0, 16)}": use file:, postgres:// or mongodb://`,
  )
}

const parseUrl = (value: string, name: string): URL => {
  try {
    return new URL(value)
  } catch {
    throw new Error(`DATABASE_URL is not a valid ${name} URL`)
  }
}
