import type { CollectionConfig } from 'payload'

import { isAdmin, isAdminField, isEditorOrAdmin, isStaff, isStaffField, nobodyField } from '../../access'
import { slugField } from '../../hooks/slugField'
import { REVIEW_STATES, REVIEW_STATE_LABELS } from '../../src/rules/workflow'
import { articleBodyEditor, leadAnswerEditor } from './editor'
import { citationCheckEndpoint } from './endpoints/citationCheck'
import { needsReReviewEndpoint } from './endpoints/needsReReview'
import { enforceReviewTransition } from './hooks/enforceReviewTransition'
import { keepAuditTrail } from './hooks/keepAuditTrail'
import { lockForWorkflow } from './hooks/lockForWorkflow'
import { recordReviewEvent } from './hooks/recordReviewEvent'
import { requireWholeBulkUpdate } from './hooks/requireWholeBulkUpdate'
import { routeRevision } from './hooks/routeRevision'
import { stampLastUpdated } from './hooks/stampLastUpdated'
import { verifySavedContent } from './hooks/verifySavedContent'
import { withdrawBeforeDelete, withdrawOnUnpublish } from './hooks/withdrawOnUnpublish'

/** A duplicate is a new article: it starts with no review history. */
const clearOnDuplicate = () => null

export const Articles: CollectionConfig = {
  slug: 'articles',
  labels: { singular: 'Article', plural: 'Articles' },
  admin: {
    useAsTitle: 'question',
    defaultColumns: ['question', 'reviewStatus', 'assignedReviewer', 'nextReviewDue', 'updatedAt'],
    group: 'Content',
    description: 'Each article answers one clinical question. Readers see it only after the advisory board approves it.',
    listSearchableFields: ['question', 'slug'],
    components: {
      beforeListTable: ['/collections/Articles/components/ReviewQueueTabs#ReviewQueueTabs'],
      edit: { PublishButton: '/collections/Articles/components/NoPublishButton#NoPublishButton' },
    },
  },
  versions: {
    drafts: { schedulePublish: false },
    // Review events point at versions: none may be pruned.
    maxPerDoc: 0,
  },
  access: {
    // The public reads editions (src/delivery), never the articles themselves.
    read: isStaff,
    readVersions: isStaff,
    create: isEditorOrAdmin,
    update: isStaff,
    delete: isAdmin,
  },
  indexes: [
    // The public list's order (newest first); Payload breaks ties on createdAt.
    { fields: ['lastUpdated', 'createdAt'] },
    // What the public may read, answerable from the index alone: counting it otherwise reads every
    // article row, text and all.
    { fields: ['_status', 'reviewStatus'] },
  ],
  endpoints: [needsReReviewEndpoint, citationCheckEndpoint],
  hooks: {
    beforeOperation: [routeRevision, lockForWorkflow],
    beforeChange: [enforceReviewTransition, stampLastUpdated],
    afterChange: [verifySavedContent, recordReviewEvent, withdrawOnUnpublish],
    beforeDelete: [keepAuditTrail, withdrawBeforeDelete],
    afterOperation: [requireWholeBulkUpdate],
  },
  fields: [
    {
      name: 'question',
      type: 'text',
      required: true,
      maxLength: 500,
      admin: { description: 'The clinical question, as a reader would ask it. It is the article title.' },
    },
    slugField('question'),
    {
      name: 'bottomLine',
      type: 'richText',
      required: true,
      editor: leadAnswerEditor,
      admin: { description: 'The answer in a paragraph or two, in clinician wording, with its citations. Shown first.' },
    },
    {
      name: 'plainLanguageAnswer',
      type: 'textarea',
      maxLength: 3000,
      admin: { description: 'The same answer for patients, in plain words. Optional.' },
    },
    {
      name: 'body',
      type: 'richText',
      editor: articleBodyEditor,
      admin: { description: 'Sections and bullets. Insert citations with the "Citation" inline block.' },
    },
    {
      name: 'references',
      type: 'relationship',
      relationTo: 'references',
      hasMany: true,
      admin: { description: 'In citation order: the first reference is [1], the second [2], and so on.', isSortable: true },
    },
    {
      name: 'relatedQuestions',
      type: 'relationship',
      relationTo: 'related-questions',
      hasMany: true,
    },
    { name: 'specialties', type: 'text', hasMany: true, admin: { description: 'Tags such as "Oncology".' } },
    {
      name: 'reviewStatus',
      type: 'select',
      required: true,
      defaultValue: 'draft',
      index: true,
      options: REVIEW_STATES.map((value) => ({ value, label: REVIEW_STATE_LABELS[value] })),
      hooks: { beforeDuplicate: [() => 'draft'] },
      admin: {
        position: 'sidebar',
        readOnly: true,
        description: 'Where the article is in medical review. Use the review actions above to change it.',
        components: { Cell: '/collections/Articles/components/ReviewStatusBadge#ReviewStatusBadge' },
      },
    },
    {
      name: 'workflowActions',
      type: 'ui',
      admin: { position: 'sidebar', components: { Field: '/collections/Articles/components/WorkflowPanel#WorkflowPanel' } },
    },
    {
      name: 'citationCheck',
      type: 'ui',
      admin: { position: 'sidebar', components: { Field: '/collections/Articles/components/CitationPanel#CitationPanel' } },
    },
    {
      name: 'reviewComment',
      type: 'textarea',
      virtual: true,
      maxLength: 4000,
      access: { read: nobodyField },
      admin: {
        position: 'sidebar',
        description: 'Why you change the review status. Recorded in the review history, not stored on the article.',
      },
    },
    {
      name: 'basedOnVersion',
      type: 'text',
      virtual: true,
      maxLength: 64,
      access: { read: nobodyField },
      admin: {
        hidden: true,
        description: 'The version id the caller saw. A write naming it is refused (409) if the article has a newer revision; the approve dialog always sends it.',
      },
    },
    {
      name: 'assignedReviewer',
      type: 'relationship',
      relationTo: 'reviewers',
      index: true,
      access: { read: isStaffField, create: nobodyField, update: isAdminField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', description: 'The board member reviewing this revision. Set by claiming; admins may assign one when claiming.' },
    },
    {
      name: 'authors',
      type: 'relationship',
      relationTo: 'users',
      hasMany: true,
      access: { read: isStaffField, create: nobodyField, update: nobodyField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', readOnly: true, description: 'Everyone who changed the revision under review.' },
    },
    {
      name: 'approvals',
      type: 'array',
      access: { read: isStaffField, create: nobodyField, update: nobodyField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', readOnly: true, description: 'Approvals of this revision so far, when the policy asks for more than one.' },
      fields: [{ name: 'reviewer', type: 'relationship', relationTo: 'reviewers', required: true }],
    },
    {
      name: 'reviewedBy',
      type: 'relationship',
      relationTo: 'reviewers',
      access: { create: nobodyField, update: nobodyField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', readOnly: true, description: 'Set by approval.' },
    },
    {
      name: 'reviewedAt',
      type: 'date',
      access: { create: nobodyField, update: nobodyField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
    },
    {
      name: 'lastUpdated',
      type: 'date',
      index: true,
      access: { create: nobodyField, update: nobodyField },
      admin: { position: 'sidebar', readOnly: true, description: 'When the content last changed. Shown to readers.' },
    },
    {
      name: 'nextReviewDue',
      type: 'date',
      index: true,
      access: { create: nobodyField, update: nobodyField },
      hooks: { beforeDuplicate: [clearOnDuplicate] },
      admin: { position: 'sidebar', readOnly: true, description: 'Approval date plus the policy’s review interval.' },
    },
    {
      name: 'reviewHistory',
      type: 'ui',
      admin: { components: { Field: '/collections/Articles/components/ReviewHistory#ReviewHistory' } },
    },
  ],
}
