import type { CollectionBeforeChangeHook } from 'payload'

import { changedContentFields } from '../../../src/rules/content'

/** "Last updated" moves when the content changes, not when only its review status does. */
export const stampLastUpdated: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  const given = req.context.lastUpdated
  if (typeof given === 'string') return { ...data, lastUpdated: given }
  if (operation === 'create' || changedContentFields(originalDoc, data).length > 0) {
    return { ...data, lastUpdated: new Date().toISOString() }
  }
  return data
}
