import type { CollectionConfig } from 'payload'

import { invalidatePublicCacheAfterChange, invalidatePublicCacheAfterDelete } from '../../src/delivery/invalidate'
import { reReviewHooks } from '../../src/delivery/reReview'
import { isAdmin, isAdminField, isStaffField } from '../../access'
import { slugField } from '../../hooks/slugField'
import { activeOrStaff } from './access/activeOrStaff'
import { isAdminOrOwnProfile } from './access/isAdminOrOwnProfile'

const reReview = reReviewHooks('reviewer')

export const Reviewers: CollectionConfig = {
  slug: 'reviewers',
  // The public profile an approved article names; the full profile is at /api/reviewers/:id.
  defaultPopulate: { name: true, slug: true, credentials: true, specialties: true },
  labels: { singular: 'Reviewer', plural: 'Advisory board' },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'credentials', 'specialties', 'active'],
    group: 'Medical review',
    description: 'Public profiles of the medical advisory board. Only active profiles are shown to readers.',
  },
  hooks: {
    ...reReview,
    // A profile is public on its own page, so its changes clear the cache too.
    afterChange: [invalidatePublicCacheAfterChange, ...reReview.afterChange],
    afterDelete: [invalidatePublicCacheAfterDelete, ...reReview.afterDelete],
  },
  access: {
    read: activeOrStaff,
    create: isAdmin,
    update: isAdminOrOwnProfile,
    delete: isAdmin,
  },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    slugField('name'),
    {
      name: 'credentials',
      type: 'text',
      required: true,
      maxLength: 120,
      admin: { description: 'Degrees and fellowships as printed after the name, e.g. "MD, FACS".' },
    },
    { name: 'specialties', type: 'text', hasMany: true, admin: { description: 'e.g. Hepatobiliary surgery' } },
    { name: 'bio', type: 'textarea', maxLength: 4000 },
    {
      name: 'disclosures',
      type: 'textarea',
      maxLength: 4000,
      admin: { description: 'Conflicts of interest, shown publicly beside the profile.' },
    },
    {
      name: 'active',
      type: 'checkbox',
      defaultValue: true,
      index: true,
      access: { update: isAdminField },
      admin: { position: 'sidebar', description: 'Inactive members are hidden from readers and cannot approve.' },
    },
    {
      name: 'user',
      type: 'relationship',
      relationTo: 'users',
      unique: true,
      access: { read: isStaffField, create: isAdminField, update: isAdminField },
      admin: { position: 'sidebar', description: 'The account this board member signs in with. Never shown publicly.' },
    },
  ],
}
