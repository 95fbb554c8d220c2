/**
 * "Any change to any content field, in any shape, by any path, counts as a change": property tests
 * over arbitrary JSON values and arbitrary mutations at any depth, rich text and relationships
 * included, whatever keys the request adds.
 */
import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'

import { CONTENT_FIELDS, changedContentFields, RELATIONSHIP_FIELDS, type ContentField } from '../../src/rules/content'

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000)
const VALUE_FIELDS = CONTENT_FIELDS.filter((field) => !RELATIONSHIP_FIELDS.has(field))

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('id', 'root', 'children', 'text', 'type')), tie('value'), { maxKeys: 4 }),
  ),
})).value

/** Empty values are one value (a field cleared is cleared however it is spelt). */
const isEmpty = (value: Json | undefined) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)

/** Every way one value can be changed at one place: a leaf, a key added or removed, an element added, removed or moved. */
type Mutation =
  | { kind: 'replaceLeaf'; path: number[]; value: Json }
  | { kind: 'addKey'; path: number[]; key: string; value: Json }
  | { kind: 'removeKey'; path: number[] }
  | { kind: 'append'; path: number[]; value: Json }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replaceLeaf' as const), path: fc.array(fc.nat(), { maxLength: 5 }), value: json }),
  fc.record({ kind: fc.constant('addKey' as const), path: fc.array(fc.nat(), { maxLength: 5 }), key: fc.oneof(fc.string(), fc.constant('id')), value: json }),
  fc.record({ kind: fc.constant('removeKey' as const), path: fc.array(fc.nat(), { maxLength: 5 }) }),
  fc.record({ kind: fc.constant('append' as const), path: fc.array(fc.nat(), { maxLength: 5 }), value: json }),
)

const clone = (value: Json): Json => structuredClone(value)

/** Follows `path` down containers (each step picks a child by index modulo its size) and applies the mutation there. */
const mutate = (value: Json, { path, ...change }: Mutation): Json => {
  const root = clone(value)
  let parent: Json[] | Record<string, Json> | null = null
  let slot: number | string = ''
  let here: Json = root
  for (const step of path) {
    if (Array.isArray(here) && here.length > 0) {
      parent = here
      slot = step % here.length
      here = here[slot]!
    } else if (here && typeof here === 'object' && !Array.isArray(here) && Object.keys(here).length > 0) {
      const keys = Object.keys(here)
      parent = here
      slot = keys[step % keys.length]!
      here = here[slot]!
    } else break
  }
  const replace = (next: Json): Json => {
    if (parent === null) return next
    ;(parent as Record<string | number, Json>)[slot] = next
    return root
  }
  switch (change.kind) {
    case 'replaceLeaf':
      return replace(change.value)
    case 'addKey':
      if (here && typeof here === 'object' && !Array.isArray(here)) return replace({ ...here, [change.key]: change.value })
      return replace({ [change.key]: change.value, was: here })
    case 'removeKey':
      if (Array.isArray(here)) return replace(here.slice(1))
      if (here && typeof here === 'object') return replace(Object.fromEntries(Object.entries(here).slice(1)))
      return replace(null)
    case 'append':
      if (Array.isArray(here)) return replace([...here, change.value])
      return replace([here, change.value])
  }
}

/** A structural equality written independently of the module: key order never matters, empties are one value. */
const sameValue = (a: Json | undefined, b: Json | undefined): boolean => {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item ?? null, b[i] ?? null))
  }
  if (typeof a === 'object' || typeof b === 'object') {
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...keys].every((key) => key in a && key in b && sameValue(a[key], b[key]))
  }
  return Object.is(a, b) || a === b
}

const shuffledKeys = (value: Json, seed: number): Json => {
  if (Array.isArray(value)) return value.map((item, i) => shuffledKeys(item, seed + i))
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
    const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!)
    return Object.fromEntries(rotated.reverse().map(([key, item]) => [key, shuffledKeys(item, seed + 1)]))
  }
  return value
}

describe('value fields (text, rich text, tags)', () => {
  test.each(VALUE_FIELDS)('%s: any mutation that makes a different value is a change', (field) => {
    fc.assert(
      fc.property(json, mutation, (before, change) => {
        const after = mutate(before, change)
        const changed = changedContentFields({ [field]: before }, { [field]: after }).includes(field)
        expect(changed).toBe(!sameValue(before, after))
      }),
      { numRuns: RUNS, seed: 20261129 },
    )
  })

  test.each(VALUE_FIELDS)('%s: the same value re-serialised with its keys in another order is not a change', (field) => {
    fc.assert(
      fc.property(json, fc.nat(7), (value, seed) => {
        expect(changedContentFields({ [field]: value }, { [field]: shuffledKeys(value, seed) })).toEqual([])
      }),
      { numRuns: RUNS, seed: 20261129 },
    )
  })

  test('a rich-text value carrying an id is compared whole, not by that id (the disguised edit)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), json, json, (id, rootBefore, rootAfter) => {
        fc.pre(!sameValue(rootBefore, rootAfter))
        for (const field of ['bottomLine', 'body', 'question', 'plainLanguageAnswer'] as const) {
          const previous = { [field]: { id, root: rootBefore } }
          expect(changedContentFields(previous, { [field]: { id, root: rootAfter } })).toEqual([field])
          expect(changedContentFields({ [field]: { root: rootBefore } }, { [field]: { id, root: rootBefore } })).toEqual([field])
        }
      }),
      { numRuns: RUNS, seed: 20261129 },
    )
  })
})

describe('relationship fields (references, related questions)', () => {
  const ids = fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 6 })
  /** How a caller may spell the same id list: bare ids, id strings, populated documents with any extra keys. */
  const spelling = (list: number[], style: number, extra: Json): unknown[] =>
    list.map((id, i) => [id, String(id), { id, title: extra }, { id: String(id), junk: extra, root: extra }][(style + i) % 4])

  test.each([...RELATIONSHIP_FIELDS] as ContentField[])('%s: a different id list, in any spelling, is a change; the same list is not', (field) => {
    fc.assert(
      fc.property(ids, ids, fc.nat(3), fc.nat(3), json, (before, after, styleBefore, styleAfter, extra) => {
        const changed = changedContentFields({ [field]: spelling(before, styleBefore, extra) }, { [field]: spelling(after, styleAfter, extra) })
        const differs = before.length !== after.length || before.some((id, i) => id !== after[i])
        expect(changed.includes(field)).toBe(differs)
      }),
      { numRuns: RUNS, seed: 20261129 },
    )
  })
})

test('fields the request does not send are not changes; workflow fields never are', () => {
  const previous = { question: 'Q', bottomLine: { root: { children: [] } }, references: [1, 2] }
  expect(changedContentFields(previous, {})).toEqual([])
  expect(changedContentFields(previous, { reviewStatus: 'approved', authors: [9], approvals: [{ reviewer: 1 }] })).toEqual([])
  expect(changedContentFields(previous, { question: 'Q', references: [{ id: 1 }, { id: '2' }] })).toEqual([])
})

describe('rich text with an internal link', () => {
  const link = (value: unknown) => ({ root: { children: [{ type: 'link', fields: { linkType: 'internal', doc: { relationTo: 'articles', value } } }] } })

  test('the link as stored (an id) and as read at depth (the document) are one value', () => {
    expect(changedContentFields({ body: link(7) }, { body: link({ id: 7, question: 'Q?', slug: 'q', body: { root: {} } }) })).toEqual([])
    expect(changedContentFields({ body: link('7') }, { body: link(7) })).toEqual([])
  })

  test('a link to another document is a change', () => {
    expect(changedContentFields({ body: link(7) }, { body: link({ id: 8 }) })).toEqual(['body'])
  })
})
