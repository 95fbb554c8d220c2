import type { CollectionBeforeOperationHook, Where } from 'payload'

import { isStaffUser } from '../../../src/rules/roles'

/** What a list of articles needs: enough to show and link each question, not its text. */
export const LIST_FIELDS = {
  question: true,
  slug: true,
  specialties: true,
  reviewStatus: true,
  lastUpdated: true,
  reviewedAt: true,
  nextReviewDue: true,
  reviewedBy: true,
} as const

const pinsOneArticle = (where: Where | undefined): boolean => {
  if (!where) return false
  const pinned = (field: 'id' | 'slug') => {
    const condition = where[field] as { equals?: unknown } | undefined
    return condition?.equals !== undefined
  }
  if (pinned('id') || pinned('slug')) return true
  return Array.isArray(where.and) && where.and.some((clause) => pinsOneArticle(clause))
}

/**
 * A public REST list without `select` returns the list fields, not every article's full text; a
 * query for one article (by id or slug) returns all of it. GraphQL callers pick their own fields.
 */
export const selectListFields: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'read' || req.payloadAPI !== 'REST' || isStaffUser(req.user)) return args
  const find = args as { id?: unknown; select?: Record<string, unknown>; where?: Where }
  if (find.id !== undefined || (find.select && Object.keys(find.select).length > 0) || pinsOneArticle(find.where)) return args
  return { ...args, select: LIST_FIELDS }
}
