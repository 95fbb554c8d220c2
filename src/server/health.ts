import type { Payload } from 'payload'

export type HealthReport = { status: 'pass' | 'fail'; checks?: Record<string, unknown>; output?: string }

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ])

/** Ready means the database answers a query now. */
export const checkReadiness = async (payload: Payload): Promise<HealthReport> => {
  const started = performance.now()
  try {
    await withTimeout(
      payload.find({ collection: 'users', limit: 1, depth: 0, pagination: false, select: {}, overrideAccess: true }),
      2_000,
    )
    return {
      status: 'pass',
      checks: {
        'database:responseTime': [
          { componentType: 'datastore', observedValue: Math.round(performance.now() - started), observedUnit: 'ms', status: 'pass' },
        ],
      },
    }
  } catch (err) {
    return {
      status: 'fail',
      output: `database unreachable: ${err instanceof Error ? err.message : String(err)}`,
      checks: { database: [{ componentType: 'datastore', status: 'fail' }] },
    }
  }
}
