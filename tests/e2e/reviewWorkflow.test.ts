import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Browser, Page } from 'playwright-core'

import { baseUrl, launch, screenshot, signIn as signInAs, watchOutsideRequests } from './support/browser'
import { E2E_DEMO_PASSWORD } from './support/globalSetup'

let browser: Browser

type Api = { token: string; id: number }
const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${baseUrl()}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `JWT ${init.token}` } : {}), ...(init.headers ?? {}) },
  })
  // The responses are whatever Payload answers; the assertions check their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}
const apiLogin = async (email: string): Promise<Api> => {
  const res = await api('/api/users/login', { method: 'POST', body: JSON.stringify({ email, password: E2E_DEMO_PASSWORD }) })
  expect(res.status).toBe(200)
  return { token: res.body.token, id: res.body.user.id }
}

const cite = (reference: number) => ({ type: 'inlineBlock', version: 1, fields: { id: `e2e${reference}${Math.random().toString(16).slice(2, 8)}`, blockType: 'citation', blockName: '', reference } })
const text = (value: string) => ({ type: 'text', text: value, version: 1, detail: 0, format: 0, mode: 'normal', style: '' })
const rich = (...children: unknown[]) => ({ root: { type: 'root', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'paragraph', version: 1, direction: 'ltr', format: '', indent: 0, textFormat: 0, textStyle: '', children }] } })

const signIn = (email: string) => signInAs(browser, email)

const openArticle = async (page: Page, id: number) => {
  await page.goto(`${baseUrl()}/admin/collections/articles/${id}`)
  await page.locator('[data-workflow-panel]').waitFor()
}

const act = async (page: Page, transition: string, comment?: string) => {
  await page.click(`[data-transition="${transition}"]`)
  if (await page.locator(`[data-confirm="${transition}"]`).count()) {
    if (comment) await page.fill('[data-review-comment]', comment)
    await page.click(`[data-confirm="${transition}"]`)
  }
}

const statusIs = (page: Page, status: string) => page.locator(`[data-current-status="${status}"]`).waitFor({ timeout: 30_000 })

let editor: Api
let references: number[]

beforeAll(async () => {
  browser = await launch()
  editor = await apiLogin('editor@example.com')
  references = []
  for (const [title, publisher] of [
    ['Gemcitabine plus cisplatin for biliary tract cancer', 'N Engl J Med'],
    ['Ablation of intrahepatic cholangiocarcinoma', 'Radiology'],
  ] as const) {
    const res = await api('/api/references', { method: 'POST', token: editor.token, body: JSON.stringify({ title, publisher, year: 2010, type: 'journal_article' }) })
    references.push(res.body.doc.id)
  }
})
afterAll(async () => {
  await browser?.close()
})

test('submit, claim, request changes, resubmit, approve: the public then sees it, and the history shows every step', async () => {
  // The editor writes the article in the admin: question, a cited lead answer, a cited body, the reference list.
  const editorPage = await signIn('editor@example.com')
  const outside = watchOutsideRequests(editorPage)
  await editorPage.goto(`${baseUrl()}/admin/collections/articles/create`)
  await editorPage.locator('#field-question').waitFor()
  await editorPage.fill('#field-question', 'Is ablation useful for a single 2 cm intrahepatic cholangiocarcinoma?')
  const insertCitation = async (editorIndex: number, words: string, referenceTitle: string) => {
    await editorPage.locator('[contenteditable="true"]').nth(editorIndex).click()
    await editorPage.keyboard.type(words)
    await editorPage.keyboard.type('/cit')
    await editorPage.locator('[role="option"]', { hasText: 'Citation' }).first().click()
    const drawer = editorPage.locator('.drawer__content').last()
    await drawer.locator('.rs__control').click()
    await editorPage.locator('.rs__option', { hasText: referenceTitle }).first().click()
    await drawer.locator('.rs__control', { hasText: referenceTitle }).waitFor()
    // The drawer's form registers the choice a moment after the select shows it.
    await editorPage.waitForTimeout(800)
    await drawer.getByRole('button', { name: 'Save changes' }).click()
    await editorPage.locator('.drawer--is-open').waitFor({ state: 'detached' })
  }
  await insertCitation(0, 'Yes, for patients who cannot have surgery ', 'Ablation of intrahepatic cholangiocarcinoma')
  await insertCitation(1, 'Chemotherapy remains standard for advanced disease ', 'Gemcitabine plus cisplatin for biliary tract cancer')
  for (const title of ['Gemcitabine plus cisplatin for biliary tract cancer', 'Ablation of intrahepatic cholangiocarcinoma']) {
    await editorPage.locator('#field-references .rs__control').click()
    await editorPage.locator('.rs__option', { hasText: title }).first().click()
  }
  await editorPage.getByRole('button', { name: /Save Draft/ }).click()
  await editorPage.waitForURL(/\/articles\/\d+$/)
  const id = Number(new URL(editorPage.url()).pathname.split('/').pop())
  await editorPage.locator('[data-workflow-panel]').waitFor()
  await screenshot(editorPage, 'workflow-0-editor-created-with-citations')
  expect(await editorPage.locator('[data-transition="approved"]').count()).toBe(0)
  expect(await editorPage.getByRole('button', { name: /^Publish/ }).count()).toBe(0)
  expect(await editorPage.locator('[data-citation-number="1"]').count()).toBe(1)
  expect(await editorPage.locator('[data-citation-number="2"]').count()).toBe(1)
  await act(editorPage, 'submitted')
  await statusIs(editorPage, 'submitted')
  expect(await editorPage.locator('[data-transition="approved"]').count()).toBe(0)
  await screenshot(editorPage, 'workflow-1-editor-submitted')

  const reviewerA = await signIn('reviewer1@example.com')
  await openArticle(reviewerA, id)
  await act(reviewerA, 'under_review')
  await statusIs(reviewerA, 'under_review')
  expect(await reviewerA.locator('[data-what-changed]').count()).toBe(1)
  await act(reviewerA, 'changes_requested', 'Please state the size limit for ablation.')
  await statusIs(reviewerA, 'changes_requested')
  await screenshot(reviewerA, 'workflow-2-reviewer-requested-changes')

  const fix = await api(`/api/articles/${id}`, { method: 'PATCH', token: editor.token, body: JSON.stringify({ plainLanguageAnswer: 'Ablation can treat one small tumour up to about 3 cm.' }) })
  expect(fix.status).toBe(200)
  await openArticle(editorPage, id)
  await act(editorPage, 'submitted')
  await statusIs(editorPage, 'submitted')

  await openArticle(reviewerA, id)
  await act(reviewerA, 'under_review')
  await statusIs(reviewerA, 'under_review')
  await act(reviewerA, 'approved')
  await statusIs(reviewerA, 'approved')
  const history = reviewerA.locator('[data-review-history] tbody tr')
  expect(await history.count()).toBe(7)
  expect(await reviewerA.locator('[data-review-history]').textContent()).toContain('Please state the size limit for ablation.')
  await reviewerA.locator('[data-review-history]').scrollIntoViewIfNeeded()
  await screenshot(reviewerA, 'workflow-3-approved-with-history')

  const publicCopy = await api(`/api/articles/${id}?depth=0`)
  expect(publicCopy.status).toBe(200)
  expect(publicCopy.body.reviewStatus).toBe('approved')
  expect(outside).toEqual([])
})

test('a reviewer who wrote part of the revision cannot approve it', async () => {
  const admin = await apiLogin('admin@example.com')
  const reviewerB = await apiLogin('reviewer2@example.com')
  expect((await api(`/api/users/${reviewerB.id}`, { method: 'PATCH', token: admin.token, body: JSON.stringify({ roles: ['reviewer', 'editor'] }) })).status).toBe(200)
  const reviewerBAgain = await apiLogin('reviewer2@example.com')
  const created = await api('/api/articles', { method: 'POST', token: reviewerBAgain.token, body: JSON.stringify({ question: 'Does reviewer B approve their own writing?', bottomLine: rich(text('No'), cite(references[0]!)), references: [references[0]] }) })
  const id = created.body.doc.id as number
  expect((await api(`/api/articles/${id}`, { method: 'PATCH', token: editor.token, body: JSON.stringify({ reviewStatus: 'submitted' }) })).status).toBe(200)

  const page = await signIn('reviewer2@example.com')
  await openArticle(page, id)
  expect(await page.locator('[data-transition="under_review"]').count()).toBe(0)
  expect(await page.locator('[data-transition="approved"]').count()).toBe(0)
  await screenshot(page, 'workflow-4-author-reviewer-has-no-actions')
  const viaApi = await api(`/api/articles/${id}`, { method: 'PATCH', token: reviewerBAgain.token, body: JSON.stringify({ reviewStatus: 'under_review' }) })
  expect(viaApi.status).toBe(403)
  expect(viaApi.body.errors[0].message).toMatch(/four-eyes/)
})

test('a citation to a reference missing from the list blocks approval, with the message shown', async () => {
  const unlisted = await api('/api/references', { method: 'POST', token: editor.token, body: JSON.stringify({ title: 'Unlisted case series', type: 'case_report', year: 2018, publisher: 'HPB' }) })
  const created = await api('/api/articles', {
    method: 'POST',
    token: editor.token,
    body: JSON.stringify({ question: 'Is a dangling citation caught before approval?', bottomLine: rich(text('It is'), cite(references[0]!), cite(unlisted.body.doc.id)), references: [references[0]], reviewStatus: 'submitted' }),
  })
  const id = created.body.doc.id as number
  const page = await signIn('reviewer1@example.com')
  await openArticle(page, id)
  await act(page, 'under_review')
  await statusIs(page, 'under_review')
  expect(await page.locator('[data-problem-kind="missing_reference"]').count()).toBe(1)
  await page.click('[data-transition="approved"]')
  expect(await page.locator('[data-citation-problems] li').count()).toBe(1)
  await page.click('[data-confirm="approved"]')
  await page.locator('[data-workflow-error]').waitFor()
  expect(await page.locator('[data-workflow-error]').textContent()).toMatch(/^Approval refused until every citation points at a listed reference/)
  await screenshot(page, 'workflow-5-citation-blocks-approval')
  expect((await api(`/api/articles/${id}?depth=0&draft=true`, { token: editor.token })).body.reviewStatus).toBe('under_review')
})

test('from an article under review, one click compares its revision with the live approved one', async () => {
  const list = await api('/api/articles?depth=0&where[reviewStatus][equals]=approved&limit=1')
  const live = list.body.docs[0] as { id: number; question: string }
  const revisedQuestion = `${live.question.replace(/\?$/, '')} — revised wording?`
  expect((await api(`/api/articles/${live.id}`, { method: 'PATCH', token: editor.token, body: JSON.stringify({ question: revisedQuestion, reviewStatus: 'submitted' }) })).status).toBe(200)
  const page = await signIn('reviewer1@example.com')
  await openArticle(page, live.id)
  await act(page, 'under_review')
  await statusIs(page, 'under_review')
  await page.click('[data-what-changed]')
  await page.waitForURL(/\/versions\/\d+/)
  await page.getByText('revised wording', { exact: false }).first().waitFor()
  const content = (await page.textContent('body')) ?? ''
  expect(content).toContain(live.question.replace(/\?$/, ''))
  await screenshot(page, 'workflow-6-what-changed')
  expect((await api(`/api/articles/${live.id}?depth=0`)).body.question).toBe(live.question)
})
