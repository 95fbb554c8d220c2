import { APIError, type CollectionBeforeChangeHook, type CollectionBeforeDeleteHook } from 'payload'

import { canonicalJson } from '../../../src/delivery/document'

const WITHDRAWAL_FIELDS = new Set(['withdrawnAt', 'withdrawnReason', 'updatedAt'])

/**
 * An edition is what readers were shown: once written it is never changed. The one update allowed
 * is its withdrawal, once, and it touches only the withdrawal stamp. Holds for the Local API too.
 */
export const keepEditionsIntact: CollectionBeforeChangeHook = ({ data, operation, originalDoc }) => {
  if (operation !== 'update' || !originalDoc) return data
  if (originalDoc.withdrawnAt) throw new APIError('This edition is already withdrawn; editions never change', 409, undefined, true)
  for (const [key, value] of Object.entries(data)) {
    if (WITHDRAWAL_FIELDS.has(key)) continue
    if (canonicalJson(value ?? null) !== canonicalJson(originalDoc[key] ?? null)) {
      throw new APIError(`Editions never change: "${key}" cannot be updated`, 409, undefined, true)
    }
  }
  if (!data.withdrawnAt) throw new APIError('The only change an edition takes is its withdrawal', 409, undefined, true)
  return data
}

export const refuseEditionDelete: CollectionBeforeDeleteHook = () => {
  throw new APIError('Editions are kept forever: what readers were shown cannot be deleted', 409, undefined, true)
}
