import type { Payload, PayloadRequest } from 'payload'

import { DEFAULT_POLICY, type Policy, type PublicVisibility } from '../rules/workflow'

type Cached = { policy: Policy; at: number }

/**
 * The editorial policy is read on every public request. Express and Next each run a Payload
 * instance in this process, so the cache lives on globalThis, keyed by database, and every write to
 * the global clears it (see `clearPolicyCache`). The short TTL covers writes from other processes.
 */
const TTL_MS = 5_000
const globalCache = globalThis as typeof globalThis & { __vettedPolicyCache?: Map<string, Cached> }
const cache = (globalCache.__vettedPolicyCache ??= new Map())

export const databaseKey = (payload: Payload): string => {
  const db = payload.db as unknown as { clientConfig?: { url?: string }; poolOptions?: { connectionString?: string }; url?: string }
  return db.clientConfig?.url ?? db.poolOptions?.connectionString ?? db.url ?? payload.db.name
}

export const clearPolicyCache = (payload: Payload): void => {
  cache.delete(databaseKey(payload))
}

const toPolicy = (doc: Record<string, unknown>): Policy => ({
  publicVisibility: (doc.publicVisibility as PublicVisibility | undefined) ?? DEFAULT_POLICY.publicVisibility,
  approvalsRequired: Number(doc.approvalsRequired ?? DEFAULT_POLICY.approvalsRequired),
  reviewIntervalDays: Number(doc.reviewIntervalDays ?? DEFAULT_POLICY.reviewIntervalDays),
})

/** The policy as the workflow sees it. Inside a transaction it reads through that transaction. */
export const getPolicy = async (req: PayloadRequest): Promise<Policy> => {
  const key = databaseKey(req.payload)
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < TTL_MS && !req.transactionID) return hit.policy
  const doc = await req.payload.findGlobal({ slug: 'editorial-policy', depth: 0, overrideAccess: true, req })
  const policy = toPolicy(doc as unknown as Record<string, unknown>)
  cache.set(key, { policy, at: Date.now() })
  return policy
}

