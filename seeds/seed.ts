import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  commitTransaction,
  createLocalReq,
  initTransaction,
  killTransaction,
  type Payload,
  type PayloadRequest,
  ValidationError,
} from 'payload'

import { withStartupLock } from '../src/cluster/startupLock'
import { normalizeQuestion } from '../src/rules/text'
import { DEMO_ACCOUNTS } from './demoAccounts'
import { parsePage, type ParsedPage } from './parsePage'
import { blocksToLexical, citedTextToLexical } from './toLexical'

export const PAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages')

export type SeedOptions = {
  /** Demo accounts and content; false leaves the database as it is. */
  demo: boolean
  /** Password for demo accounts created now; one is generated when absent. */
  password?: string
  pagesDir?: string
}

export type SeedReport = {
  created: { users: number; reviewers: number; references: number; relatedQuestions: number; articles: number }
  /** Set when demo accounts were created with a generated password: show it once. */
  generatedPassword?: string
}

type ExtraFields = { plainLanguageAnswer?: string; specialties?: string[] }

const emptyReport = (): SeedReport => ({
  created: { users: 0, reviewers: 0, references: 0, relatedQuestions: 0, articles: 0 },
})

const findOneId = async (
  payload: Payload,
  req: PayloadRequest,
  collection: 'users' | 'reviewers' | 'references' | 'related-questions' | 'articles',
  where: Record<string, unknown>,
): Promise<number | undefined> => {
  const { docs } = await payload.find({ collection, where: where as never, limit: 1, depth: 0, pagination: false, req })
  // Ids are numbers on SQL databases, the types' shape; MongoDB's strings pass through unchanged.
  return docs[0]?.id as number | undefined
}

const SEED_ATTEMPTS = 3

/** A unique key another process took first, or the database busy with its transaction. */
const lostRaceToAnotherProcess = (err: unknown): boolean => {
  for (let cause = err as { name?: string; code?: string; message?: string; cause?: unknown; data?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.code === '23505' || cause.code === 'SQLITE_CONSTRAINT_UNIQUE' || cause.code === 'SQLITE_BUSY') return true
    if (/UNIQUE constraint failed|duplicate key value|database is locked/i.test(cause.message ?? '')) return true
    if (cause instanceof ValidationError && cause.data.errors.length > 0 && cause.data.errors.every((error) => /unique/i.test(error.message))) return true
  }
  return false
}

/**
 * Loads the demo accounts and every page in seeds/pages. Idempotent: what already exists (matched by
 * email, title, normalised question or slug) is left untouched. All of it lands in one transaction.
 * Replicas starting together take turns (an advisory lock on PostgreSQL); where another process
 * created something between this one's check and its create, the seed runs again and finds it.
 */
export const seed = async (payload: Payload, options: SeedOptions): Promise<SeedReport> => {
  if (!options.demo) return emptyReport()
  return withStartupLock(payload, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await seedOnce(payload, options)
      } catch (err) {
        if (attempt >= SEED_ATTEMPTS || !lostRaceToAnotherProcess(err)) throw err
      }
    }
  })
}

const seedOnce = async (payload: Payload, options: SeedOptions): Promise<SeedReport> => {
  const report = emptyReport()
  const req = await createLocalReq({}, payload)
  const ownsTransaction = await initTransaction(req)
  try {
    const users = await ensureDemoAccounts(payload, req, options.password, report)
    const pagesDir = options.pagesDir ?? PAGES_DIR
    const files = (await readdir(pagesDir)).filter((file) => file.endsWith('.txt')).sort()
    for (const file of files) {
      const page = parsePage(await readFile(path.join(pagesDir, file), 'utf8'))
      const extra = await readExtra(path.join(pagesDir, file.replace(/\.txt$/, '.json')))
      await loadPage(payload, req, page, extra, users, report)
    }
    if (ownsTransaction) await commitTransaction(req)
    return report
  } catch (err) {
    if (ownsTransaction) await killTransaction(req)
    throw err
  }
}

const readExtra = async (file: string): Promise<ExtraFields> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ExtraFields
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
}

type DemoUsers = { editor?: number; reviewers: number[]; reviewerUsers: number[] }

const ensureDemoAccounts = async (
  payload: Payload,
  req: PayloadRequest,
  givenPassword: string | undefined,
  report: SeedReport,
): Promise<DemoUsers> => {
  const users: DemoUsers = { reviewers: [], reviewerUsers: [] }
  let password = givenPassword
  for (const account of DEMO_ACCOUNTS) {
    let userId = await findOneId(payload, req, 'users', { email: { equals: account.email } })
    if (userId === undefined) {
      if (!password) {
        password = randomBytes(12).toString('base64url')
        report.generatedPassword = password
      }
      const user = await payload.create({
        collection: 'users',
        data: { email: account.email, name: account.name, roles: account.roles, password },
        req,
      })
      userId = user.id
      report.created.users++
    }
    if (account.roles.includes('editor') && users.editor === undefined) users.editor = userId
    if (account.profile) {
      let profileId = await findOneId(payload, req, 'reviewers', { user: { equals: userId } })
      if (profileId === undefined) {
        const profile = await payload.create({
          collection: 'reviewers',
          data: { ...account.profile, active: true, user: userId },
          req,
        })
        profileId = profile.id
        report.created.reviewers++
      }
      users.reviewers.push(profileId)
      users.reviewerUsers.push(userId)
    }
  }
  return users
}

const loadPage = async (
  payload: Payload,
  req: PayloadRequest,
  page: ParsedPage,
  extra: ExtraFields,
  users: DemoUsers,
  report: SeedReport,
): Promise<void> => {
  const dangling = page.problems.filter((problem) => problem.startsWith('Citation'))
  if (dangling.length > 0) throw new Error(`Seed page "${page.question}" cannot be loaded: ${dangling.join('; ')}`)

  const referenceIds: number[] = []
  for (const reference of page.references) {
    let id = await findOneId(payload, req, 'references', {
      and: [{ title: { equals: reference.title } }, { type: { equals: reference.type } }],
    })
    if (id === undefined) {
      id = (await payload.create({ collection: 'references', data: reference, req })).id
      report.created.references++
    }
    referenceIds.push(id)
  }

  const relatedIds: number[] = []
  for (const question of page.relatedQuestions) {
    let id = await findOneId(payload, req, 'related-questions', { normalizedQuestion: { equals: normalizeQuestion(question) } })
    if (id === undefined) {
      id = (await payload.create({ collection: 'related-questions', data: { question }, req })).id
      report.created.relatedQuestions++
    }
    relatedIds.push(id)
  }

  const resolve = (n: number) => referenceIds[n - 1]!
  const existing = await findOneId(payload, req, 'articles', { question: { equals: page.question } })
  if (existing !== undefined) return

  if (users.editor === undefined || users.reviewerUsers[0] === undefined) throw new Error('The demo editor and reviewer accounts are missing')
  const editor = await payload.findByID({ collection: 'users', id: users.editor, depth: 0, req })
  const reviewer = await payload.findByID({ collection: 'users', id: users.reviewerUsers[0], depth: 0, req })
  const act = <T>(user: typeof editor, work: () => Promise<T>): Promise<T> => {
    req.user = { ...user, collection: 'users' }
    return work()
  }

  // The demo article reaches the public the way every article does: the editor submits it, a
  // reviewer claims it and approves it, each step through the workflow guard.
  req.context.lastUpdated = page.lastUpdated ? new Date(`${page.lastUpdated}T12:00:00Z`).toISOString() : undefined
  const article = await act(editor, () =>
    payload.create({
      collection: 'articles',
      overrideAccess: false,
      data: {
        question: page.question,
        bottomLine: citedTextToLexical(page.bottomLine, resolve) as never,
        plainLanguageAnswer: extra.plainLanguageAnswer,
        body: blocksToLexical(page.body, resolve) as never,
        references: referenceIds,
        relatedQuestions: relatedIds,
        specialties: extra.specialties,
        reviewStatus: 'submitted',
      },
      req,
    }),
  )
  delete req.context.lastUpdated
  for (const reviewStatus of ['under_review', 'approved'] as const) {
    await act(reviewer, () => payload.update({ collection: 'articles', id: article.id, overrideAccess: false, data: { reviewStatus }, req }))
  }
  report.created.articles++
}
