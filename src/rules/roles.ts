/** Roles and the questions every access rule asks of a user. Pure: no database, no Payload. */
export const ROLES = ['admin', 'editor', 'reviewer'] as const
export type Role = (typeof ROLES)[number]

export type Actor = { id: number | string; roles?: (Role | string)[] | null } | null | undefined

export const hasRole = (user: Actor, role: Role): boolean => Boolean(user?.roles?.includes(role))

/** Staff are signed-in users holding any role; everyone else reads as the public does. */
export const isStaffUser = (user: Actor): boolean => ROLES.some((role) => hasRole(user, role))

export const canEditContent = (user: Actor): boolean => hasRole(user, 'admin') || hasRole(user, 'editor')
