import type { TextFieldValidation } from 'payload'
import { text } from 'payload/shared'

import { normalizeQuestion } from '../../../src/rules/text'

/** Names the existing entry, which a unique-index error on a hidden column would not. */
export const validateQuestionIsNew: TextFieldValidation = async (value, options) => {
  const base = text(value, options)
  if (base !== true || !value) return base
  const { req, id } = options
  const { docs } = await req.payload.find({
    collection: 'related-questions',
    where: {
      and: [{ normalizedQuestion: { equals: normalizeQuestion(value) } }, ...(id === undefined ? [] : [{ id: { not_equals: id } }])],
    },
    limit: 1,
    depth: 0,
    overrideAccess: true,
    req,
  })
  return docs[0] ? `This question is already listed as "${docs[0].question}"` : true
}
