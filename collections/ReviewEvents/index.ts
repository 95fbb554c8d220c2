import type { CollectionConfig } from 'payload'

import { isStaff, nobody } from '../../access'
import { REVIEW_STATES, REVIEW_STATE_LABELS } from '../../src/rules/workflow'

const stateOptions = REVIEW_STATES.map((value) => ({ value, label: REVIEW_STATE_LABELS[value] }))

/** The audit trail. Written only by the workflow hooks; no API may create, change or delete an event. */
export const ReviewEvents: CollectionConfig = {
  slug: 'review-events',
  labels: { singular: 'Review event', plural: 'Review history' },
  admin: {
    useAsTitle: 'summary',
    defaultColumns: ['article', 'from', 'to', 'actor', 'createdAt'],
    group: 'Medical review',
    description: 'Every change of review status, who made it and why. Append-only.',
  },
  access: {
    read: isStaff,
    create: nobody,
    update: nobody,
    delete: nobody,
  },
  defaultSort: '-createdAt',
  fields: [
    { name: 'article', type: 'relationship', relationTo: 'articles', required: true, index: true },
    { name: 'version', type: 'text', index: true, admin: { description: 'The article version this event applies to.' } },
    { name: 'edition', type: 'relationship', relationTo: 'editions', admin: { description: 'The edition this event published, if it published one.' } },
    {
      name: 'action',
      type: 'select',
      required: true,
      index: true,
      options: [
        { value: 'create', label: 'Created' },
        { value: 'submit', label: 'Submitted for review' },
        { value: 'claim', label: 'Review claimed' },
        { value: 'request_changes', label: 'Changes requested' },
        { value: 'record_approval', label: 'Approval recorded' },
        { value: 'approve', label: 'Approved and published' },
        { value: 'revise', label: 'New revision started' },
        { value: 'restart_review', label: 'Review restarted' },
      ],
    },
    { name: 'from', type: 'select', options: stateOptions, admin: { description: 'Empty when the article was created in this event.' } },
    { name: 'to', type: 'select', options: stateOptions, required: true },
    { name: 'actor', type: 'relationship', relationTo: 'users' },
    { name: 'comment', type: 'textarea', maxLength: 4000 },
    {
      name: 'summary',
      type: 'text',
      admin: { hidden: true },
      hooks: {
        beforeChange: [({ siblingData }) => `${siblingData.from ?? 'new'} → ${siblingData.to}`],
      },
    },
  ],
}
