import type { CollectionConfig } from 'payload'

import { reReviewHooks } from '../../src/delivery/reReview'
import { isAdmin, isEditorOrAdmin, isStaff } from '../../access'
import { normalizeIdentifiers } from './hooks/normalizeIdentifiers'

export const REFERENCE_TYPES = [
  { label: 'Guideline', value: 'guideline' },
  { label: 'Systematic review', value: 'systematic_review' },
  { label: 'Journal article', value: 'journal_article' },
  { label: 'Case report', value: 'case_report' },
  { label: 'Textbook', value: 'textbook' },
  { label: 'Website', value: 'website' },
  { label: 'Other', value: 'other' },
] as const

export const References: CollectionConfig = {
  slug: 'references',
  // What an article carries for each of its references (depth 1): the citation, without bookkeeping.
  defaultPopulate: { type: true, title: true, authors: true, publisher: true, year: true, doi: true, pmid: true, url: true },
  labels: { singular: 'Reference', plural: 'References' },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'type', 'publisher', 'year'],
    group: 'Content',
    description: 'Sources that articles cite. A DOI or PMID can belong to one reference only.',
    listSearchableFields: ['title', 'publisher', 'doi', 'pmid'],
  },
  access: {
    // Readers get references only inside an article's edition, as the board approved them.
    read: isStaff,
    create: isEditorOrAdmin,
    update: isEditorOrAdmin,
    delete: isAdmin,
  },
  hooks: { beforeValidate: [normalizeIdentifiers], ...reReviewHooks('reference') },
  fields: [
    { name: 'type', type: 'select', required: true, defaultValue: 'journal_article', options: [...REFERENCE_TYPES], index: true },
    { name: 'title', type: 'text', required: true, maxLength: 500 },
    { name: 'authors', type: 'text', maxLength: 1000, admin: { description: 'As cited, e.g. "Valle J, Wasan H, et al."' } },
    { name: 'publisher', type: 'text', maxLength: 300, admin: { description: 'The organisation or journal.' } },
    {
      name: 'year',
      type: 'number',
      min: 1800,
      max: 2100,
      admin: { step: 1 },
      validate: (value: number | null | undefined) =>
        value === null || value === undefined || Number.isInteger(value) ? true : 'Year must be a whole number',
    },
    {
      type: 'row',
      fields: [
        {
          name: 'doi',
          label: 'DOI',
          type: 'text',
          unique: true,
          maxLength: 300,
          validate: (value: string | null | undefined) =>
            !value || /^10\.\d{4,9}\/\S+$/.test(value) ? true : 'A DOI looks like 10.1056/NEJMoa0908721',
        },
        {
          name: 'pmid',
          label: 'PMID',
          type: 'text',
          unique: true,
          maxLength: 12,
          validate: (value: string | null | undefined) =>
            !value || /^\d{1,10}$/.test(value) ? true : 'A PMID is a number such as 20375404',
        },
      ],
    },
    {
      name: 'url',
      label: 'URL',
      type: 'text',
      maxLength: 2000,
      validate: (value: string | null | undefined) =>
        !value || /^https?:\/\/\S+$/i.test(value) ? true : 'A URL starts with http:// or https://',
    },
  ],
}
