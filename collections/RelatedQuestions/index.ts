import type { CollectionConfig } from 'payload'

import { reReviewHooks } from '../../src/delivery/reReview'
import { isAdmin, isEditorOrAdmin, isStaff, nobodyField } from '../../access'
import { slugField } from '../../hooks/slugField'
import { setNormalizedQuestion } from './hooks/setNormalizedQuestion'
import { validateQuestionIsNew } from './hooks/validateQuestionIsNew'

export const RelatedQuestions: CollectionConfig = {
  slug: 'related-questions',
  defaultPopulate: { question: true, slug: true, article: true },
  labels: { singular: 'Related question', plural: 'Related questions' },
  admin: {
    useAsTitle: 'question',
    defaultColumns: ['question', 'article', 'updatedAt'],
    group: 'Content',
    description: 'Questions readers may ask next. A question is stored once, however it is capitalised or punctuated.',
  },
  hooks: reReviewHooks('relatedQuestion'),
  access: {
    // Readers get related questions only inside an article's edition, as the board approved them.
    read: isStaff,
    create: isEditorOrAdmin,
    update: isEditorOrAdmin,
    delete: isAdmin,
  },
  fields: [
    { name: 'question', type: 'text', required: true, maxLength: 1000, validate: validateQuestionIsNew },
    slugField('question'),
    {
      name: 'normalizedQuestion',
      type: 'text',
      unique: true,
      index: true,
      access: { create: nobodyField, update: nobodyField },
      admin: { hidden: true },
      hooks: { beforeChange: [setNormalizedQuestion] },
    },
    {
      name: 'article',
      type: 'relationship',
      relationTo: 'articles',
      admin: { description: 'The article that answers this question, once there is one.' },
    },
  ],
}
