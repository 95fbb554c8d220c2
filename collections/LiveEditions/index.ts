import type { CollectionConfig } from 'payload'

import { nobody } from '../../access'
import { REVIEW_STATES, REVIEW_STATE_LABELS } from '../../src/rules/workflow'

/**
 * The public copy: one row per article readers can see, holding its current edition's document as
 * serialised JSON plus the columns the public may filter and sort on. The public read path is one
 * indexed query on this table (`src/delivery/read.ts`). Written only with the edition it copies, in
 * the same transaction; no API reads or writes it.
 */
export const LiveEditions: CollectionConfig = {
  slug: 'live-editions',
  labels: { singular: 'Live edition', plural: 'Live editions' },
  admin: { hidden: true, useAsTitle: 'question' },
  access: { read: nobody, create: nobody, update: nobody, delete: nobody },
  graphQL: false,
  indexes: [{ fields: ['lastUpdated', 'articleCreatedAt'] }],
  fields: [
    { name: 'article', type: 'relationship', relationTo: 'articles', required: true, unique: true },
    { name: 'edition', type: 'relationship', relationTo: 'editions', required: true },
    { name: 'slug', type: 'text', required: true, index: true },
    { name: 'question', type: 'text', required: true },
    // A select like the articles' own, so sorting on it keeps the workflow's order (an enum on PostgreSQL).
    {
      name: 'reviewStatus',
      type: 'select',
      required: true,
      index: true,
      options: REVIEW_STATES.map((value) => ({ value, label: REVIEW_STATE_LABELS[value] })),
    },
    { name: 'specialties', type: 'text', hasMany: true },
    { name: 'reviewedBy', type: 'relationship', relationTo: 'reviewers' },
    { name: 'reviewedAt', type: 'date' },
    { name: 'lastUpdated', type: 'date', index: true },
    { name: 'nextReviewDue', type: 'date' },
    { name: 'articleCreatedAt', type: 'date' },
    { name: 'articleUpdatedAt', type: 'date' },
    { name: 'etag', type: 'text', required: true },
    { name: 'links', type: 'text', admin: { description: 'The references (r:), related questions (q:) and reviewer (p:) it shows.' } },
    { name: 'document', type: 'text', required: true, admin: { description: 'The public document at depth 1, serialised.' } },
    {
      name: 'linksUnreviewed',
      type: 'checkbox',
      defaultValue: false,
      admin: { description: 'It links to an article that was public only as an unreviewed (caution-mode) edition.' },
    },
    { name: 'answers', type: 'text', admin: { description: 'The public articles its related questions link to ({id, slug, question} by id), serialised.' } },
    { name: 'needsReReview', type: 'checkbox', defaultValue: false, index: true },
    {
      name: 'changes',
      type: 'json',
      admin: { description: 'Linked documents changed since this edition was approved: it needs re-review.' },
    },
  ],
}
