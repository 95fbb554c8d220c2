import type { GlobalConfig } from 'payload'

import { anyone, isAdmin } from '../../access'
import { PUBLIC_VISIBILITY_MODES } from '../../src/rules/workflow'
import { invalidatePublicCacheAfterGlobalChange } from '../../src/delivery/invalidate'
import { clearCachedPolicy } from './hooks/clearCachedPolicy'

export const EditorialPolicy: GlobalConfig = {
  slug: 'editorial-policy',
  label: 'Editorial policy',
  admin: {
    group: 'Administration',
    description: 'What readers may see, how many approvals publish an article, and the texts shown with every article.',
  },
  access: { read: anyone, update: isAdmin },
  hooks: { afterChange: [clearCachedPolicy, invalidatePublicCacheAfterGlobalChange] },
  fields: [
    {
      name: 'publicVisibility',
      type: 'select',
      required: true,
      defaultValue: 'approved_only',
      options: [
        { value: PUBLIC_VISIBILITY_MODES[0], label: 'Approved only: readers see approved revisions' },
        {
          value: PUBLIC_VISIBILITY_MODES[1],
          label: 'Pending with caution: submitted and in-review revisions are shown with a caution banner',
        },
      ],
    },
    {
      name: 'approvalsRequired',
      type: 'number',
      required: true,
      defaultValue: 1,
      min: 1,
      max: 5,
      admin: { step: 1, description: 'Distinct eligible reviewers who must approve the same revision.' },
    },
    {
      name: 'reviewIntervalDays',
      type: 'number',
      required: true,
      defaultValue: 365,
      min: 1,
      max: 3650,
      admin: { step: 1, description: 'Days from approval until the article is due for review again.' },
    },
    {
      name: 'showEditionHistory',
      type: 'checkbox',
      defaultValue: true,
      admin: { description: 'Show readers each article’s previous reviewed versions, with their dates and reviewers.' },
    },
    {
      name: 'disclaimer',
      type: 'textarea',
      maxLength: 4000,
      defaultValue:
        'For healthcare professionals. This content supports, and does not replace, clinical judgement; verify it against primary sources before acting on it.',
    },
    {
      name: 'cautionBanner',
      type: 'text',
      maxLength: 300,
      defaultValue: 'Educational purpose only. This content is pending review by our medical advisory board.',
    },
    {
      name: 'policyText',
      type: 'textarea',
      maxLength: 20000,
      defaultValue:
        'Every article on Vetted answers one clinical question. Editors write it from guidelines and the primary literature and cite each claim; a member of our medical advisory board, who did not write it, checks every claim against its sources before approving it.\n\nEach article shows who reviewed it, when, and when it is due for review again. When the evidence changes, the article is revised and reviewed again before the new version replaces the old one.',
      admin: { description: 'Shown on the public editorial-policy page. Separate paragraphs with a blank line.' },
    },
  ],
}
