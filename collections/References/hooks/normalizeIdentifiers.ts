import type { CollectionBeforeValidateHook } from 'payload'

import { normalizeDoi } from '../../../src/rules/text'

const blankToNull = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? null : value)

/** DOIs compare case-insensitively and arrive as URLs or bare; store one form so uniqueness means something. */
export const normalizeIdentifiers: CollectionBeforeValidateHook = ({ data }) => {
  if (!data) return data
  const next = { ...data }
  for (const key of ['doi', 'pmid', 'url', 'publisher', 'authors'] as const) {
    if (key in next) next[key] = blankToNull(next[key])
  }
  if (typeof next.doi === 'string') next.doi = normalizeDoi(next.doi)
  if (typeof next.pmid === 'string') next.pmid = next.pmid.trim().replace(/^pmid:\s*/i, '')
  return next
}
