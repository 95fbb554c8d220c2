import { expect, test } from '@jest/globals'

import { classifyContention } from '../../src/db/contention'

const withCode = (code: unknown, message = 'x') => Object.assign(new Error(message), { code })

test('deadlocks, serialization failures and MongoDB write conflicts may be replayed', () => {
  expect(classifyContention(withCode('40P01', 'deadlock detected'))).toBe('retryable')
  expect(classifyContention(withCode('40001'))).toBe('retryable')
  expect(classifyContention(withCode(112, 'WriteConflict'))).toBe('retryable')
  expect(classifyContention(Object.assign(new Error('conflict'), { errorLabels: ['TransientTransactionError'] }))).toBe('retryable')
})

test('pool, lock and busy timeouts mean the database is saturated', () => {
  expect(classifyContention(new Error('timeout exceeded when trying to connect'))).toBe('busy')
  expect(classifyContention(withCode('55P03', 'canceling statement due to lock timeout'))).toBe('busy')
  expect(classifyContention(withCode('SQLITE_BUSY', 'database is locked'))).toBe('busy')
})

test('causes are followed (drizzle and Payload wrap driver errors); anything else is not contention', () => {
  expect(classifyContention(new Error('Failed query', { cause: new Error('wrapped', { cause: withCode('40P01') }) }))).toBe('retryable')
  expect(classifyContention(withCode('23505', 'duplicate key value violates unique constraint'))).toBeNull()
  expect(classifyContention(new Error('simulated storage failure'))).toBeNull()
  expect(classifyContention(undefined)).toBeNull()
  expect(classifyContention('a string')).toBeNull()
})
