import type { CollectionConfig } from 'payload'

import { isStaff, nobody } from '../../access'
import { keepEditionsIntact, refuseEditionDelete } from './hooks/keepEditionsIntact'

/**
 * The public form of one approved (or, in caution mode, submitted) revision, written in the same
 * transaction as the decision that publishes it. Never changed or deleted: withdrawal only stamps
 * `withdrawnAt`. Written by the workflow through `src/delivery`; staff read it, nobody writes it.
 */
export const Editions: CollectionConfig = {
  slug: 'editions',
  labels: { singular: 'Edition', plural: 'Editions' },
  admin: {
    useAsTitle: 'question',
    defaultColumns: ['question', 'kind', 'reviewStatus', 'publishedAt', 'withdrawnAt'],
    group: 'Medical review',
    description: 'What readers saw, and when: one entry per published revision. Read-only.',
    listSearchableFields: ['question', 'slug'],
  },
  access: { read: isStaff, create: nobody, update: nobody, delete: nobody },
  defaultSort: '-publishedAt',
  hooks: { beforeChange: [keepEditionsIntact], beforeDelete: [refuseEditionDelete] },
  indexes: [{ fields: ['article', 'publishedAt'] }],
  fields: [
    { name: 'article', type: 'relationship', relationTo: 'articles', required: true, index: true },
    { name: 'version', type: 'text', index: true, admin: { description: 'The article version this edition was written from.' } },
    {
      name: 'kind',
      type: 'select',
      required: true,
      options: [
        { value: 'reviewed', label: 'Approved by the board' },
        { value: 'unreviewed', label: 'Not yet reviewed (caution mode)' },
      ],
    },
    { name: 'reviewStatus', type: 'text', required: true },
    { name: 'question', type: 'text', required: true },
    { name: 'slug', type: 'text', required: true, index: true },
    // Plain values, not relationships: deleting a profile or an account must not change an edition.
    { name: 'approvers', type: 'json', admin: { description: 'The board members whose approvals published it: [{id, name}].' } },
    { name: 'reviewer', type: 'text', admin: { description: 'The reviewer readers were shown, as "Name, credentials".' } },
    { name: 'reviewedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'decidedBy', type: 'number', admin: { description: 'The id of the account whose decision wrote this edition.' } },
    { name: 'document', type: 'json', required: true, admin: { description: 'Exactly what the public API served for this edition.' } },
    { name: 'answers', type: 'json', admin: { description: 'The public articles its related questions linked to, as they were.' } },
    { name: 'contentHash', type: 'text', required: true, index: true, admin: { description: 'Also the ETag of its public responses.' } },
    { name: 'publishedAt', type: 'date', required: true, index: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'withdrawnAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'withdrawnReason', type: 'text' },
  ],
}
