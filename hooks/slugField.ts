import type { FieldHook, TextField } from 'payload'

import { slugify } from '../src/rules/text'

/** A unique, indexed slug derived from another field unless one is given. */
export const slugField = (sourceField: string): TextField => ({
  name: 'slug',
  type: 'text',
  unique: true,
  index: true,
  maxLength: 200,
  admin: { position: 'sidebar', description: `Used in URLs. Filled in from the ${sourceField} when left empty.` },
  hooks: { beforeValidate: [formatSlug(sourceField)] },
})

const formatSlug =
  (sourceField: string): FieldHook =>
  ({ value, data, originalDoc }) => {
    if (typeof value === 'string' && value.trim()) return slugify(value)
    const source = data?.[sourceField] ?? originalDoc?.[sourceField]
    return typeof source === 'string' && source.trim() ? slugify(source) : value
  }
