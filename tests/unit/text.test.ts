import { expect, test } from '@jest/globals'

import { changedContentFields } from '../../src/rules/content'
import { canEditContent, hasRole, isStaffUser } from '../../src/rules/roles'
import { normalizeDoi, normalizeQuestion, slugify } from '../../src/rules/text'

test('slugify makes short, readable, ASCII slugs', () => {
  expect(slugify('Can ablation be done for liver mets?')).toBe('can-ablation-be-done-for-liver-mets')
  expect(slugify('Café & crème')).toBe('cafe-and-creme')
  const long = slugify('word '.repeat(60))
  expect(long.length).toBeLessThanOrEqual(96)
  expect(long.endsWith('-')).toBe(false)
})

test('questions that differ in case, spacing or punctuation normalise alike', () => {
  expect(normalizeQuestion('How is  resistant Hypertension managed?')).toBe(normalizeQuestion('how is resistant hypertension managed'))
  expect(normalizeQuestion('A?')).not.toBe(normalizeQuestion('B?'))
})

test('DOIs are stored bare and lower-case', () => {
  expect(normalizeDoi(' https://doi.org/10.1056/NEJMoa0908721 ')).toBe('10.1056/nejmoa0908721')
  expect(normalizeDoi('doi: 10.1000/ABC')).toBe('10.1000/abc')
})

test('roles', () => {
  expect(isStaffUser(null)).toBe(false)
  expect(isStaffUser({ id: 1, roles: [] })).toBe(false)
  expect(isStaffUser({ id: 1, roles: ['reviewer'] })).toBe(true)
  expect(hasRole({ id: 1, roles: ['editor', 'reviewer'] }, 'reviewer')).toBe(true)
  expect(canEditContent({ id: 1, roles: ['reviewer'] })).toBe(false)
  expect(canEditContent({ id: 1, roles: ['editor'] })).toBe(true)
})

test('content changes ignore population and workflow fields', () => {
  const previous = { question: 'Q', references: [{ id: 1 }, { id: 2 }], reviewStatus: 'draft' }
  expect(changedContentFields(previous, { references: [1, 2], reviewStatus: 'submitted' })).toEqual([])
  expect(changedContentFields(previous, { references: [2, 1] })).toEqual(['references'])
  expect(changedContentFields(previous, { question: 'Q2' })).toEqual(['question'])
  expect(changedContentFields(undefined, { question: 'Q' })).toEqual(['question'])
})
