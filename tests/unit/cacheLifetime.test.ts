import { expect, test } from '@jest/globals'

import { parseCacheLifetime } from '../../src/delivery/responseCache'

test('RESPONSE_CACHE_TTL: unset or empty means 10 s; seconds above 0 are taken as given', () => {
  expect(parseCacheLifetime(undefined)).toBe(10)
  expect(parseCacheLifetime('')).toBe(10)
  expect(parseCacheLifetime('30')).toBe(30)
  expect(parseCacheLifetime(' 2.5 ')).toBe(2.5)
})

test('RESPONSE_CACHE_TTL: zero, negative and non-numeric values are refused', () => {
  for (const value of ['0', '-5', '10s', 'ten', 'Infinity', 'NaN']) expect(parseCacheLifetime(value)).toBeNull()
})
