import type { Id } from './workflow'

/** The id of a relationship value, populated or not; null when empty. Pure. */
export const idOf = (value: unknown): Id | null => {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'object' && 'id' in value) return (value as { id: Id }).id
  return value as Id
}

export const idsOf = (value: unknown): Id[] => (Array.isArray(value) ? value.map(idOf).filter((id): id is Id => id !== null) : [])
