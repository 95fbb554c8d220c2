/**
 * The races of issue 10, replayed through the HTTP API: bursts of concurrent requests on one
 * article, each followed by the invariant checker (tests/support/invariants.ts). Every burst runs
 * even after one breaks, so a failure reports how many bursts broke which invariant.
 *
 * The guarantee under test: each article's workflow writes are decided one at a time against its
 * latest state; a request that lost a race gets a 409 saying what changed, or is decided again
 * (then a 400 or 403 like any other request), never a 200 for a change that is then lost.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { Response } from 'supertest'

import { createArticle, createBoardMembers, latest, latestVersionId, lexicalParagraph, profileIdOf, publicRead, setPolicy, transition, versionsOf, type BoardMember } from '../support/articles'
import { login, type Session } from '../support/http'
import { acknowledge, answerWithin, checkBurst, contentOf, differingContent, eventIdsOf, isSuccess, messageOf, orderedEvents, textOf, ViolationLog, type Acknowledgement } from '../support/invariants'
import { startTestApp, type TestApp } from '../support/testApp'

// The public copy is compared through the app; the response cache would only add its own timing.
process.env.RESPONSE_CACHE = 'off'

const BURSTS = Math.max(1, Number(process.env.RACE_BURSTS ?? 20))
const BURST_SIZE = Math.max(2, Number(process.env.RACE_BURST_SIZE ?? 20))

let ctx: TestApp
let editor: Session
let admin: Session
let reviewer1: Session
let reviewer1Profile: number | string
let board: BoardMember[] = []
const timings: Record<string, number> = {}
let startedAt = 0

const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now()
  try {
    return await work()
  } finally {
    timings[name] = (performance.now() - started) / 1000
  }
}

/** Sends the burst's requests at once; their wall time is summed per race for the figures. */
const burstSeconds: Record<string, number> = {}
const statusCounts: Record<string, Record<number, number>> = {}
const atOnce = async (race: string, requests: PromiseLike<Response>[]): Promise<Response[]> => {
  const started = performance.now()
  const results = await answerWithin(Promise.all(requests), `a ${race} burst`)
  burstSeconds[race] = (burstSeconds[race] ?? 0) + (performance.now() - started) / 1000
  const counts = (statusCounts[race] ??= {})
  for (const res of results) counts[res.status] = (counts[res.status] ?? 0) + 1
  return results
}

const reportAndAssert = (race: string, log: ViolationLog, note = '') => {
  const summary = log.summary()
  process.stdout.write(`${race} (${process.env.TEST_DB}): ${log.bursts} bursts, ${log.brokenBursts} broke an invariant; statuses ${JSON.stringify(statusCounts[race] ?? {})}${note}\n${summary.map((line) => `  ${line}\n`).join('')}`)
  expect(summary).toEqual([])
}

/** A refusal a loser may get: a status from `allowed`, with a message. (The checker reports 5xx.) */
const refusalProblem = (label: string, res: Response, allowed: number[]): string | null => {
  if (res.status >= 500) return null
  if (!allowed.includes(res.status)) return `${label} answered ${res.status}${messageOf(res) ? `: ${messageOf(res)}` : ''} (expected one of ${allowed.join(', ')})`
  if (!messageOf(res)) return `${label} answered ${res.status} without a message`
  return null
}

/** The claim a losing claimant may get: a 409, or a 403 naming the assignment. */
const claimRefusalProblem = (label: string, res: Response): string | null => {
  if (res.status === 403 && !/assign/i.test(messageOf(res) ?? '')) return `${label} answered 403 without naming the assignment: ${messageOf(res)}`
  return refusalProblem(label, res, [403, 409])
}

/**
 * The requests of a burst in an order fixed by the burst's number: the server tends to take them in
 * the order they are sent, so varying it lets each side of a race win in some bursts.
 */
const shuffled = <T>(items: T[], seed: number): T[] => {
  let state = seed * 2654435761
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

const submittedArticle = (text: string) =>
  createArticle(ctx.app, editor, { reviewStatus: 'submitted', bottomLine: lexicalParagraph(text), plainLanguageAnswer: text })

beforeAll(async () => {
  startedAt = performance.now()
  ctx = await startTestApp()
  editor = await login(ctx.app, 'editor@example.com')
  admin = await login(ctx.app, 'admin@example.com')
  reviewer1 = await login(ctx.app, 'reviewer1@example.com')
  reviewer1Profile = await profileIdOf(ctx.payload, reviewer1)
  board = await timed('creating 20 board members', () => createBoardMembers(ctx.app, ctx.payload, Math.max(20, BURST_SIZE), 'race-reviewer'))
})

afterAll(async () => {
  await ctx?.close()
  const total = (performance.now() - startedAt) / 1000
  process.stdout.write(
    `races (${process.env.TEST_DB}): ${BURSTS} bursts of ${BURST_SIZE} per race; ${Object.entries(timings)
      .map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s${burstSeconds[name] === undefined ? '' : ` (bursts ${burstSeconds[name]!.toFixed(1)} s)`}`)
      .join('; ')}; whole file ${total.toFixed(1)} s\n`,
  )
})

test(`double claim: ${BURST_SIZE} reviewers claim one submitted article at once, ${BURSTS} times; one wins, the others are refused`, async () => {
  const log = new ViolationLog()
  await timed('double claim', async () => {
    for (let burst = 1; burst <= BURSTS; burst++) {
      const article = await submittedArticle(`Double claim ${burst}`)
      const eventsBefore = await eventIdsOf(ctx.payload, article.id)
      const claimants = shuffled(board.slice(0, BURST_SIZE), burst)
      const results = await atOnce('double claim', claimants.map((member) => transition(ctx.app, member, article.id, { reviewStatus: 'under_review' })))

      const responses = results.map((res, i) => acknowledge(res, { label: `claim by ${claimants[i]!.email}`, actor: claimants[i]!.userId, kind: 'transition', expects: ['claim'] }))
      const violations = await checkBurst(ctx, { article: article.id, eventsBefore, statusBefore: 'submitted', responses })
      const winners = claimants.filter((_, i) => results[i]!.status === 200)
      if (winners.length !== 1) violations.push(`${winners.length} of ${claimants.length} claims got 200`)
      results.forEach((res, i) => {
        if (res.status === 200) {
          if (String(res.body.doc?.assignedReviewer) !== String(claimants[i]!.profileId)) {
            violations.push(`the 200 to ${claimants[i]!.email} names ${String(res.body.doc?.assignedReviewer)} as assigned, not the caller's profile ${String(claimants[i]!.profileId)}`)
          }
        } else {
          const problem = claimRefusalProblem(`claim by ${claimants[i]!.email}`, res)
          if (problem) violations.push(problem)
        }
      })
      const now = await latest(ctx.payload, article.id)
      if (winners.length === 1 && String(now.assignedReviewer) !== String(winners[0]!.profileId)) {
        violations.push(`the article is assigned to ${String(now.assignedReviewer)}, not to the winner ${String(winners[0]!.profileId)}`)
      }
      log.record(`double-claim burst ${burst}`, violations)
    }
  })
  reportAndAssert('double claim', log)
}, 600_000)

test(`edit vs approve: an admin edits while the assigned reviewer approves, ${BURSTS} bursts of ${BURST_SIZE}; the public never reads unreviewed text`, async () => {
  const log = new ViolationLog()
  let approvalWon = 0
  await timed('edit vs approve', async () => {
    for (let burst = 1; burst <= BURSTS; burst++) {
      const violations: string[] = []
      const article = await submittedArticle(`Reviewed text ${burst}`)
      const claim = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })
      expect(claim.status).toBe(200)
      const opened = await latestVersionId(ctx.payload, article.id)
      const openedContent = (await ctx.payload.findVersionByID({ collection: 'articles', id: opened, depth: 0, overrideAccess: true })).version as unknown as Record<string, unknown>
      const eventsBefore = await eventIdsOf(ctx.payload, article.id)

      const plan = shuffled(Array.from({ length: BURST_SIZE }, (_, i) =>
        i % 2 === 0
          ? { label: `admin edit ${i}`, session: admin, kind: 'content' as const, data: { bottomLine: lexicalParagraph(`Unreviewed admin edit ${burst}.${i}`), plainLanguageAnswer: `Unreviewed admin edit ${burst}.${i}` } }
          : {
              label: `approval ${i}${i % 4 === 1 ? ' naming the opened version' : ''}`,
              session: reviewer1,
              kind: 'transition' as const,
              data: i % 4 === 1 ? { reviewStatus: 'approved', basedOnVersion: opened } : { reviewStatus: 'approved' },
            },
      ), 1000 + burst)
      const results = await atOnce('edit vs approve', plan.map((step) => transition(ctx.app, step.session, article.id, step.data)))
      const responses: Acknowledgement[] = results.map((res, i) =>
        acknowledge(res, { label: plan[i]!.label, actor: plan[i]!.session.userId, kind: plan[i]!.kind, ...(plan[i]!.kind === 'transition' ? { expects: ['approve'] as const } : {}) }),
      )
      violations.push(...(await checkBurst(ctx, { article: article.id, eventsBefore, statusBefore: 'under_review', responses })))

      const approved = results.filter((res, i) => plan[i]!.kind === 'transition' && res.status === 200).length
      if (approved > 1) violations.push(`${approved} approvals got 200`)
      if (approved === 1) approvalWon++
      results.forEach((res, i) => {
        const step = plan[i]!
        const problem = step.kind === 'transition' ? (res.status === 200 ? null : refusalProblem(step.label, res, [400, 403, 409])) : refusalProblem(step.label, res, [200, 409])
        if (problem && !(step.kind === 'content' && res.status === 200)) violations.push(problem)
      })

      const publicCopy = await publicRead(ctx.app, article.id)
      if (/Unreviewed/.test(`${textOf(publicCopy.body?.bottomLine)} ${String(publicCopy.body?.plainLanguageAnswer)}`)) {
        violations.push(`the public reads unreviewed text: "${textOf(publicCopy.body.bottomLine)}"`)
      }
      if (approved === 1) {
        if (publicCopy.status !== 200) violations.push(`an approval got 200 but the public read answers ${publicCopy.status}`)
        else {
          const differs = differingContent(publicCopy.body, openedContent)
          if (differs.length) violations.push(`the public copy differs from the revision the reviewer opened in ${differs.join(', ')}`)
        }
        const approval = (await orderedEvents(ctx.payload, article.id)).find((event) => event.action === 'approve' && !eventsBefore.has(String(event.id)))
        if (approval?.version) {
          const version = await ctx.payload.findVersionByID({ collection: 'articles', id: approval.version, depth: 0, overrideAccess: true })
          const differs = differingContent(version.version as unknown as Record<string, unknown>, openedContent)
          if (differs.length) violations.push(`the approve event points at version ${approval.version}, whose ${differs.join(', ')} the reviewer never saw`)
        }
      } else if (publicCopy.status !== 404) {
        violations.push(`no approval got 200 but the public read answers ${publicCopy.status}`)
      }
      log.record(`edit-vs-approve burst ${burst}`, violations)
    }
  })
  reportAndAssert('edit vs approve', log, `; the approval won ${approvalWon} of ${BURSTS} bursts`)
}, 600_000)

test(`edit vs claim: editor edits race a claim, ${BURSTS} bursts of ${BURST_SIZE}; no acknowledged edit or claim is lost`, async () => {
  const log = new ViolationLog()
  let editsBeforeClaim = 0
  await timed('edit vs claim', async () => {
    for (let burst = 1; burst <= BURSTS; burst++) {
      const violations: string[] = []
      const initial = `Initial text ${burst}`
      const article = await submittedArticle(initial)
      const versionsBefore = new Set((await versionsOf(ctx.payload, article.id)).map((version) => String(version.id)))
      const eventsBefore = await eventIdsOf(ctx.payload, article.id)

      const plan = shuffled(Array.from({ length: BURST_SIZE }, (_, i) => {
        if (i % 2 === 0) {
          const text = `Editor edit ${burst}.${i}`
          return { label: `editor edit ${i}`, session: editor as Session, kind: 'content' as const, text, data: { bottomLine: lexicalParagraph(text), plainLanguageAnswer: text } as Record<string, unknown> }
        }
        const member = board[(i - 1) / 2]!
        return { label: `claim by ${member.email}`, session: member as Session, kind: 'transition' as const, text: undefined, data: { reviewStatus: 'under_review' } as Record<string, unknown> }
      }), 2000 + burst)
      const results = await atOnce('edit vs claim', plan.map((step) => transition(ctx.app, step.session, article.id, step.data)))
      const responses: Acknowledgement[] = results.map((res, i) =>
        acknowledge(res, { label: plan[i]!.label, actor: plan[i]!.session.userId, kind: plan[i]!.kind, ...(plan[i]!.kind === 'transition' ? { expects: ['claim'] as const } : {}) }),
      )
      violations.push(...(await checkBurst(ctx, { article: article.id, eventsBefore, statusBefore: 'submitted', responses })))

      const claims = plan.map((step, i) => ({ step, res: results[i]! })).filter(({ step }) => step.kind === 'transition')
      const claimWinners = claims.filter(({ res }) => res.status === 200)
      if (claimWinners.length !== 1) violations.push(`${claimWinners.length} claims got 200`)
      for (const { step, res } of claims) {
        if (res.status !== 200) {
          const problem = claimRefusalProblem(step.label, res)
          if (problem) violations.push(problem)
        }
      }
      const acceptedEdits = new Set<string>()
      const refusedEdits = new Set<string>()
      plan.forEach((step, i) => {
        if (step.kind !== 'content') return
        const res = results[i]!
        if (res.status === 200) {
          acceptedEdits.add(step.text!)
          editsBeforeClaim++
        }
        else {
          refusedEdits.add(step.text!)
          const problem = refusalProblem(step.label, res, [403, 409])
          if (problem) violations.push(problem)
        }
      })

      // The texts the new versions hold, in order: each change is to an acknowledged edit's text,
      // never back to an earlier one (a lost write), and every acknowledged edit appears.
      const newVersions = (await versionsOf(ctx.payload, article.id)).filter((version) => !versionsBefore.has(String(version.id)))
      let current = initial
      const seen = new Set([initial])
      for (const version of newVersions) {
        const text = String(version.version.plainLanguageAnswer ?? '')
        if (textOf(version.version.bottomLine) !== text) violations.push(`version ${String(version.id)} mixes two writes: bottomLine "${textOf(version.version.bottomLine)}", plain "${text}"`)
        if (text === current) continue
        if (seen.has(text)) violations.push(`version ${String(version.id)} went back to "${text}": the write that replaced it was lost`)
        else if (refusedEdits.has(text)) violations.push(`version ${String(version.id)} holds "${text}", whose edit was refused`)
        else if (!acceptedEdits.has(text)) violations.push(`version ${String(version.id)} holds "${text}", which no request wrote`)
        seen.add(text)
        current = text
      }
      for (const text of acceptedEdits) if (!seen.has(text)) violations.push(`the acknowledged edit "${text}" is in no version: lost`)
      const now = await latest(ctx.payload, article.id)
      if (now.plainLanguageAnswer !== current) violations.push(`the article holds "${String(now.plainLanguageAnswer)}", not the last written "${current}"`)
      if (claimWinners.length === 1) {
        if (now.reviewStatus !== 'under_review') violations.push(`a claim got 200 but the article is ${now.reviewStatus}`)
        const winner = board.find((member) => String(member.userId) === String(claimWinners[0]!.step.session.userId))!
        if (String(now.assignedReviewer) !== String(winner.profileId)) violations.push(`the article is assigned to ${String(now.assignedReviewer)}, not to the claimant who got 200`)
        // Content is frozen from the claim on: no version after the claim's holds other text.
        const claimEvent = (await orderedEvents(ctx.payload, article.id)).find((event) => event.action === 'claim' && !eventsBefore.has(String(event.id)))
        const claimedAt = newVersions.findIndex((version) => String(version.id) === String(claimEvent?.version))
        if (claimedAt >= 0) {
          const frozen = contentOf(newVersions[claimedAt]!.version as unknown as Record<string, unknown>)
          for (const later of newVersions.slice(claimedAt + 1)) {
            if (JSON.stringify(contentOf(later.version as unknown as Record<string, unknown>)) !== JSON.stringify(frozen)) {
              violations.push(`version ${String(later.id)} changed content after the claim (version ${String(claimEvent?.version)})`)
            }
          }
        }
      }
      log.record(`edit-vs-claim burst ${burst}`, violations)
    }
  })
  reportAndAssert('edit vs claim', log, `; ${editsBeforeClaim} edits landed before the claim`)
}, 600_000)

describe('quorum (approvalsRequired: 2)', () => {
  beforeAll(async () => {
    await setPolicy(ctx.app, admin, { approvalsRequired: 2 })
  })
  afterAll(async () => {
    await setPolicy(ctx.app, admin, { approvalsRequired: 1 })
  })

  test(`${BURST_SIZE} reviewers approve one article at once, ${BURSTS} times: both approvals count, it is approved once, the rest are refused`, async () => {
    const log = new ViolationLog()
    await timed('quorum', async () => {
      for (let burst = 1; burst <= BURSTS; burst++) {
        const violations: string[] = []
        const article = await submittedArticle(`Quorum ${burst}`)
        const approvers = shuffled(board.slice(0, BURST_SIZE), 3000 + burst)
        const claimant = approvers[burst % approvers.length]!
        expect((await transition(ctx.app, claimant, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
        const eventsBefore = await eventIdsOf(ctx.payload, article.id)

        const results = await atOnce('quorum', approvers.map((member) => transition(ctx.app, member, article.id, { reviewStatus: 'approved' })))
        const responses = results.map((res, i) =>
          acknowledge(res, { label: `approval by ${approvers[i]!.email}`, actor: approvers[i]!.userId, kind: 'transition', expects: ['record_approval', 'approve'] }),
        )
        violations.push(...(await checkBurst(ctx, { article: article.id, eventsBefore, statusBefore: 'under_review', responses })))

        const accepted = approvers.filter((_, i) => results[i]!.status === 200)
        if (accepted.length !== 2) violations.push(`${accepted.length} approvals got 200, not 2`)
        results.forEach((res, i) => {
          if (res.status === 200) return
          const problem = refusalProblem(`approval by ${approvers[i]!.email}`, res, [400, 409])
          if (problem) violations.push(problem)
        })
        const added = (await orderedEvents(ctx.payload, article.id)).filter((event) => !eventsBefore.has(String(event.id)))
        const actions = added.map((event) => event.action).sort()
        if (JSON.stringify(actions) !== JSON.stringify(['approve', 'record_approval'])) violations.push(`the burst wrote events ${JSON.stringify(actions)}, not one record_approval and one approve`)
        const now = (await latest(ctx.payload, article.id)) as unknown as { reviewStatus: string; approvals?: { reviewer: unknown }[] }
        if (now.reviewStatus !== 'approved') violations.push(`the article ended ${now.reviewStatus}, not approved`)
        const approvalProfiles = (now.approvals ?? []).map((approval) => String(typeof approval.reviewer === 'object' && approval.reviewer ? (approval.reviewer as { id: unknown }).id : approval.reviewer)).sort()
        const expectedProfiles = accepted.map((member) => String(member.profileId)).sort()
        if (JSON.stringify(approvalProfiles) !== JSON.stringify(expectedProfiles)) {
          violations.push(`the article's approvals are profiles [${approvalProfiles.join(', ')}], but the approvals that got 200 were [${expectedProfiles.join(', ')}]`)
        }
        log.record(`quorum burst ${burst}`, violations)
      }
    })
    reportAndAssert('quorum', log)
  }, 600_000)
})

describe('approval bound to the revision the reviewer opened (basedOnVersion)', () => {
  test('naming a stale version is a 409 "changed since you opened it" and changes nothing; naming the current one publishes exactly that content', async () => {
    const article = await submittedArticle('Text the reviewer first opened')
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    const opened = await latestVersionId(ctx.payload, article.id)

    const edit = await transition(ctx.app, admin, article.id, { bottomLine: lexicalParagraph('Text the admin changed'), plainLanguageAnswer: 'Text the admin changed' })
    expect(edit.status).toBe(200)
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)

    const eventsBefore = await eventIdsOf(ctx.payload, article.id)
    const versionsBefore = (await versionsOf(ctx.payload, article.id)).length
    const stale = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved', basedOnVersion: opened })
    expect(stale.status).toBe(409)
    expect(messageOf(stale)).toMatch(/changed since you opened it/i)
    expect(await eventIdsOf(ctx.payload, article.id)).toEqual(eventsBefore)
    expect((await versionsOf(ctx.payload, article.id)).length).toBe(versionsBefore)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('under_review')
    expect((await ctx.payload.findByID({ collection: 'articles', id: article.id, draft: false, depth: 0, overrideAccess: true }))._status).not.toBe('published')

    const current = await latestVersionId(ctx.payload, article.id)
    const currentContent = (await ctx.payload.findVersionByID({ collection: 'articles', id: current, depth: 0, overrideAccess: true })).version as unknown as Record<string, unknown>
    const approve = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved', basedOnVersion: current })
    expect(approve.status).toBe(200)
    expect(approve.body.doc).not.toHaveProperty('basedOnVersion')

    const approval = (await orderedEvents(ctx.payload, article.id)).at(-1)!
    expect(approval.action).toBe('approve')
    const approvedVersion = await ctx.payload.findVersionByID({ collection: 'articles', id: approval.version!, depth: 0, overrideAccess: true })
    expect(approvedVersion.version._status).toBe('published')
    expect(differingContent(approvedVersion.version as unknown as Record<string, unknown>, currentContent)).toEqual([])
    expect(textOf(approvedVersion.version.bottomLine)).toBe('Text the admin changed')

    const responses = [acknowledge(stale, { label: 'stale approval', actor: reviewer1.userId, kind: 'transition', expects: ['approve'] }), acknowledge(approve, { label: 'current approval', actor: reviewer1.userId, kind: 'transition', expects: ['approve'] })]
    expect(await checkBurst(ctx, { article: article.id, eventsBefore, statusBefore: 'under_review', responses })).toEqual([])
  })

  test('naming a version of another article, or no version at all, approves nothing', async () => {
    const other = await submittedArticle('Another article')
    const otherVersion = await latestVersionId(ctx.payload, other.id)
    const article = await submittedArticle('The article under review')
    expect((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'under_review' })).status).toBe(200)
    const eventsBefore = await eventIdsOf(ctx.payload, article.id)
    for (const basedOnVersion of [otherVersion, '999999999', 'not-a-version']) {
      const res = await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved', basedOnVersion })
      expect([400, 404, 409]).toContain(res.status)
      expect(messageOf(res)).toBeTruthy()
    }
    expect(await eventIdsOf(ctx.payload, article.id)).toEqual(eventsBefore)
    expect((await latest(ctx.payload, article.id)).reviewStatus).toBe('under_review')
    expect(isSuccess((await transition(ctx.app, reviewer1, article.id, { reviewStatus: 'approved' })).status)).toBe(true)
    expect((await latest(ctx.payload, article.id)).reviewedBy).toBe(reviewer1Profile)
  })
})
