import { describe, expect, test } from '@jest/globals'

import { parseDatabaseUrl } from '../../src/db/databaseUrl'

describe('parseDatabaseUrl', () => {
  test('defaults to a SQLite file under ./data', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ kind: 'sqlite', url: 'file:/srv/app/data/vetted.db', file: '/srv/app/data/vetted.db' })
    expect(parseDatabaseUrl('  ', '/srv/app').kind).toBe('sqlite')
  })
  test('resolves relative and absolute file: URLs', () => {
    expect(parseDatabaseUrl('file:./db/x.db', '/srv/app')).toMatchObject({ file: '/srv/app/db/x.db' })
    expect(parseDatabaseUrl('file:/var/lib/vetted.db', '/srv/app')).toMatchObject({ file: '/var/lib/vetted.db' })
    expect(parseDatabaseUrl('file:///var/lib/vetted.db', '/srv/app')).toMatchObject({ file: '/var/lib/vetted.db' })
    expect(parseDatabaseUrl('file::memory:')).toMatchObject({ file: ':memory:' })
  })
  test('refuses a file: URL without a file', () => {
    expect(() => parseDatabaseUrl('file:')).toThrow('names no file')
  })
  test('recognises PostgreSQL and hides its password', () => {
    const target = parseDatabaseUrl('postgres://vetted:s3cret@db:5432/vetted')
    expect(target).toMatchObject({ kind: 'postgres', url: 'postgres://vetted:s3cret@db:5432/vetted' })
    expect(target.kind === 'postgres' && target.redacted).toBe('postgres://vetted:***@db:5432/vetted')
    expect(parseDatabaseUrl('postgresql://db/vetted').kind).toBe('postgres')
  })
  test('recognises MongoDB', () => {
    expect(parseDatabaseUrl('mongodb://mongo:27017/vetted').kind).toBe('mongodb')
    expect(parseDatabaseUrl('mongodb+srv://u:p@cluster.example.net/vetted').kind).toBe('mongodb')
  })
  test('names an unknown scheme in one line', () => {
    expect(() => parseDatabaseUrl('mysql://db/vetted')).toThrow(
      'DATABASE_URL has an unsupported scheme "mysql": use file:, postgres:// or mongodb://',
    )
    expect(() => parseDatabaseUrl('vetted.db')).toThrow(/unsupported scheme/)
  })
  test('refuses a malformed URL', () => {
    expect(() => parseDatabaseUrl('postgres://[broken')).toThrow('DATABASE_URL is not a valid PostgreSQL URL')
  })
})
