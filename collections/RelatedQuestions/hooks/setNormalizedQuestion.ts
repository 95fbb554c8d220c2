import type { FieldHook } from 'payload'

import { normalizeQuestion } from '../../../src/rules/text'

export const setNormalizedQuestion: FieldHook = ({ data, originalDoc }) => {
  const question = data?.question ?? originalDoc?.question
  return typeof question === 'string' ? normalizeQuestion(question) : undefined
}
