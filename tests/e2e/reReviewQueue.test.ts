import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Browser } from 'playwright-core'

import { baseUrl, launch, screenshot, signIn, watchOutsideRequests } from './support/browser'
import { E2E_DEMO_PASSWORD } from './support/globalSetup'

let browser: Browser

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${baseUrl()}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `JWT ${init.token}` } : {}), ...(init.headers ?? {}) },
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const tokenOf = async (email: string): Promise<string> => {
  const res = await api('/api/users/login', { method: 'POST', body: JSON.stringify({ email, password: E2E_DEMO_PASSWORD }) })
  expect(res.status).toBe(200)
  return res.body.token as string
}
const ok = async (path: string, init: RequestInit & { token: string }, status = 200) => {
  const res = await api(path, init)
  expect({ path, status: res.status }).toEqual({ path, status })
  return res.body
}

const paragraph = (value: string) => ({
  root: {
    type: 'root',
    version: 1,
    direction: 'ltr',
    format: '',
    indent: 0,
    children: [{ type: 'paragraph', version: 1, direction: 'ltr', format: '', indent: 0, textFormat: 0, textStyle: '', children: [{ type: 'text', text: value, version: 1, detail: 0, format: 0, mode: 'normal', style: '' }] }],
  },
})

const stamp = Date.now().toString(36)
const QUESTION = `Does re-review ${stamp} reach the dashboard?`
const CHANGED_TITLE = `Retracted trial ${stamp}`
let articleId: number

beforeAll(async () => {
  browser = await launch()
  const editor = await tokenOf('editor@example.com')
  const reviewer = await tokenOf('reviewer1@example.com')
  const reference = (await ok('/api/references', { method: 'POST', token: editor, body: JSON.stringify({ title: `Trial ${stamp}`, publisher: 'Lancet', year: 2019, type: 'journal_article' }) }, 201)).doc as { id: number }
  const article = (
    await ok('/api/articles', { method: 'POST', token: editor, body: JSON.stringify({ question: QUESTION, bottomLine: paragraph('Only after review.'), references: [reference.id], reviewStatus: 'submitted' }) }, 201)
  ).doc as { id: number }
  articleId = article.id
  for (const reviewStatus of ['under_review', 'approved']) {
    await ok(`/api/articles/${articleId}?depth=0`, { method: 'PATCH', token: reviewer, body: JSON.stringify({ reviewStatus }) })
  }
  // After approval, an editor changes what the article cites.
  await ok(`/api/references/${reference.id}`, { method: 'PATCH', token: editor, body: JSON.stringify({ title: CHANGED_TITLE }) })
})
afterAll(async () => {
  await browser?.close()
})

test('a reviewer sees the article in Needs re-review with what changed, and opens it to its editions', async () => {
  const page = await signIn(browser, 'reviewer1@example.com')
  const outside = watchOutsideRequests(page)
  await page.goto(`${baseUrl()}/admin`)
  const entry = page.locator(`[data-needs-re-review-article="${articleId}"]`)
  await entry.waitFor()
  expect(await entry.locator('a').first().textContent()).toBe(QUESTION)
  const change = entry.locator('[data-linked-change^="reference:"]')
  expect(await change.count()).toBe(1)
  const described = (await change.textContent()) ?? ''
  expect(described).toContain(`Reference “${CHANGED_TITLE}”: title`)
  await screenshot(page, 're-review-1-dashboard')

  await entry.locator('a').first().click()
  await page.waitForURL((url) => url.pathname === `/admin/collections/articles/${articleId}`)
  await page.locator('[data-edition-history]').waitFor()
  const notice = page.locator('[data-needs-re-review-notice]')
  await notice.waitFor()
  expect(await notice.textContent()).toContain(CHANGED_TITLE)
  const editions = page.locator('[data-edition]')
  expect(await editions.count()).toBe(1)
  expect(await editions.first().getAttribute('data-edition-kind')).toBe('reviewed')
  expect(await editions.first().getAttribute('data-edition-withdrawn')).toBe('false')
  expect(await editions.first().textContent()).toContain('(live)')
  await screenshot(page, 're-review-2-article-editions')
  expect(outside).toEqual([])
})

test('readers still get the approved title', async () => {
  const res = await fetch(`${baseUrl()}/api/articles/${articleId}?depth=1`)
  expect(res.status).toBe(200)
  const text = await res.text()
  expect(text).toContain(`Trial ${stamp}`)
  expect(text).not.toContain(CHANGED_TITLE)
})
