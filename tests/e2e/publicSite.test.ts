import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Browser } from 'playwright-core'

import { baseUrl, launch, screenshot, watchOutsideRequests } from './support/browser'
import { E2E_DEMO_PASSWORD } from './support/globalSetup'

let browser: Browser

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const res = await fetch(`${baseUrl()}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `JWT ${init.token}` } : {}) },
  })
  return { status: res.status, body: (await res.json()) as { [key: string]: unknown; doc?: { id: number; slug: string }; token?: string } }
}
const token = async (email: string) => (await api('/api/users/login', { method: 'POST', body: JSON.stringify({ email, password: E2E_DEMO_PASSWORD }) })).body.token as string

const DEMO_SLUG = 'can-interventional-ablation-be-done-for-liver-metastases-mets-in-a-patient-with-carcinoma-of'

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

test('the article page shows every element of the reference page, without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } })
  const page = await context.newPage()
  const outside = watchOutsideRequests(page)
  await page.goto(`${baseUrl()}/questions/${DEMO_SLUG}`)
  expect(await page.locator('h1').textContent()).toMatch(/^Can interventional ablation be done for liver metastases/)
  expect(await page.locator('[data-board-notice]').textContent()).toMatch(/Medical Advisory Board/)
  expect(await page.locator('[data-review-steps] li').allTextContents()).toEqual(['Submitted', 'Under review', 'Approved'])
  expect(await page.locator('[data-review-steps] li[aria-current="step"]').textContent()).toBe('Approved')
  expect(await page.locator('[data-caution-banner]').count()).toBe(0)
  expect(await page.locator('[data-last-updated]').textContent()).toMatch(/Last updated: November 26, 2025/)
  expect(await page.locator('[data-last-updated] a[href="/editorial-policy"]').count()).toBe(1)
  expect(await page.locator('[data-reviewed-by]').textContent()).toMatch(/^Medically reviewed by Dr\. Rosa Kimura, MD, FACS on \w+ \d+, \d{4}$/)
  expect(await page.locator('[data-reviewed-by] a').getAttribute('href')).toBe('/advisory-board#dr-rosa-kimura')
  expect(await page.locator('[data-next-review]').textContent()).toMatch(/^Next review due: /)
  expect(await page.locator('legend').textContent()).toBe('Which best describes you?')
  expect(await page.locator('[data-answer="clinician"]').textContent()).toMatch(/^Interventional ablation is not advised/)
  expect(await page.locator('[data-body] h2').count()).toBeGreaterThanOrEqual(5)
  expect(await page.locator('[data-body] li').count()).toBe(17)
  const citations = await page.locator('sup.citation a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))
  expect(citations.length).toBe(20)
  expect(new Set(citations)).toEqual(new Set(['#ref-1', '#ref-2', '#ref-3']))
  expect(await page.locator('[data-references] li').count()).toBe(3)
  expect(await page.locator('#ref-1').textContent()).toMatch(/^Guideline Guideline Directed Topic Overview\. Dr\.Oracle Medical Advisory Board & Editors, 2025/)
  expect(await page.locator('#ref-3').textContent()).toMatch(/^Case report Response of gallbladder cancer liver metastases/)
  expect(await page.locator('[data-related] li').count()).toBe(10)
  expect(await page.locator('[data-disclaimer]').textContent()).toMatch(/Professional medical disclaimer/i)
  await screenshot(page, 'public-1-article-no-js')
  expect(outside).toEqual([])
  await context.close()
})

test('the audience switch shows the plain-language answer and is remembered', async () => {
  const page = await browser.newPage()
  await page.goto(`${baseUrl()}/questions/${DEMO_SLUG}`)
  await page.click('[data-choose-audience="patient"]')
  await page.locator('[data-answer="patient"]').waitFor()
  expect(await page.locator('[data-answer="patient"]').textContent()).toMatch(/^Ablation destroys small tumours/)
  await page.reload()
  expect(await page.locator('[data-answer="patient"]').count()).toBe(1)
  await screenshot(page, 'public-2-patient-answer')
})

test('the home page lists and searches published questions; the policy and board pages render', async () => {
  const page = await browser.newPage()
  await page.goto(`${baseUrl()}/`)
  expect(await page.locator('[data-question-list] a').count()).toBeGreaterThanOrEqual(1)
  await page.goto(`${baseUrl()}/?q=gallbladder`)
  expect(await page.locator('[data-question-list] a').first().textContent()).toMatch(/gallbladder/)
  await page.goto(`${baseUrl()}/?q=zzzz-no-such-question`)
  expect(await page.locator('[data-question-list] a').count()).toBe(0)
  await page.goto(`${baseUrl()}/editorial-policy`)
  expect(await page.locator('[data-editorial-policy] h1').textContent()).toBe('Editorial policy')
  await page.goto(`${baseUrl()}/advisory-board`)
  expect(await page.locator('#dr-rosa-kimura h2').textContent()).toBe('Dr. Rosa Kimura, MD, FACS')
  expect(await page.content()).not.toContain('@example.com')
  await screenshot(page, 'public-4-advisory-board')
})

test('stored text with markup renders inert; a pending revision shows the caution banner only in pending mode', async () => {
  const [editor, reviewer, admin] = [await token('editor@example.com'), await token('reviewer1@example.com'), await token('admin@example.com')]
  const hostile = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">'
  const body = { root: { type: 'root', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'paragraph', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'text', text: hostile, version: 1, detail: 0, format: 0, mode: 'normal', style: '' }] }] } }
  expect((await api(`/api/globals/editorial-policy`, { method: 'POST', token: admin, body: JSON.stringify({ publicVisibility: 'pending_with_caution' }) })).status).toBe(200)
  let id = 0
  let slug = ''
  try {
    const created = await api('/api/articles', { method: 'POST', token: editor, body: JSON.stringify({ question: 'Does stored markup stay inert?', bottomLine: body, body, plainLanguageAnswer: hostile, reviewStatus: 'submitted' }) })
    ;({ id, slug } = created.body.doc!)
    const page = await browser.newPage()
    await page.goto(`${baseUrl()}/questions/${slug}`)
    expect(await page.locator('[data-caution-banner]').count()).toBe(1)
    expect(await page.locator('[data-review-steps] li[aria-current="step"]').textContent()).toBe('Submitted')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined()
    expect(await page.locator('[data-body]').textContent()).toContain('<script>window.__pwned = true</script>')
    expect(await page.locator('[data-body] script, [data-body] img').count()).toBe(0)
    await screenshot(page, 'public-3-pending-with-caution-inert-markup')
  } finally {
    await api(`/api/globals/editorial-policy`, { method: 'POST', token: admin, body: JSON.stringify({ publicVisibility: 'approved_only' }) })
  }
  const hidden = await fetch(`${baseUrl()}/questions/${slug}`)
  expect(hidden.status).toBe(404)
  expect((await api(`/api/articles/${id}`, { method: 'PATCH', token: reviewer, body: JSON.stringify({ reviewStatus: 'under_review' }) })).status).toBe(200)
})

test('public pages are cached as identity bytes and compressed by the cache; Next navigations bypass it', async () => {
  const url = `${baseUrl()}/questions/${DEMO_SLUG}`
  // Fetch would decompress on its own; ask for each encoding explicitly and read the raw bytes.
  const identity = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
  const identityBody = await identity.text()
  expect(identity.status).toBe(200)
  expect(identity.headers.get('content-encoding')).toBeNull()
  expect(identityBody).toMatch(/^<!DOCTYPE html>/i)
  expect(identity.headers.get('cache-control')).toBe('public, max-age=10, stale-while-revalidate=60')
  expect(identity.headers.get('vary')).toMatch(/Accept-Encoding/)

  const gzipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' } })
  expect(gzipped.headers.get('x-cache')).toBe('hit')
  expect(gzipped.headers.get('content-encoding')).toBe('gzip')
  expect(gzipped.headers.get('etag')).not.toBe(identity.headers.get('etag'))
  expect(await gzipped.text()).toBe(identityBody)

  const again = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
  expect(again.headers.get('x-cache')).toBe('hit')
  expect(again.headers.get('content-encoding')).toBeNull()
  expect(await again.text()).toBe(identityBody)
  const notModified = await fetch(url, { headers: { 'accept-encoding': 'gzip', 'if-none-match': gzipped.headers.get('etag')! } })
  expect(notModified.status).toBe(304)

  const navigation = await fetch(url, { headers: { rsc: '1', 'accept-encoding': 'identity' } })
  expect(navigation.headers.get('x-cache')).toBeNull()
  expect(navigation.headers.get('content-type')).not.toMatch(/text\/html/)
})

test('a related question links to its answer once the board approves the article again', async () => {
  const editor = await token('editor@example.com')
  const reviewer = await token('reviewer1@example.com')
  const related = (await api('/api/related-questions?limit=1&sort=id', { token: editor })).body as { docs?: { id: number; question: string }[] }
  const question = related.docs![0]!
  const link = async () => {
    const html = await (await fetch(`${baseUrl()}/questions/${DEMO_SLUG}`, { headers: { 'accept-encoding': 'identity' } })).text()
    return html.includes(`<a href="/questions/${DEMO_SLUG}">${question.question}</a>`)
  }
  const demoId = ((await api(`/api/articles?where[slug][equals]=${DEMO_SLUG}&select[slug]=true`)).body.docs as { id: number }[])[0]!.id
  /** The editor sends the article back for review without touching its text; the demo reviewer approves it. */
  const reapprove = async () => {
    for (const [session, reviewStatus] of [
      [editor, 'submitted'],
      [reviewer, 'under_review'],
      [reviewer, 'approved'],
    ] as const) {
      expect((await api(`/api/articles/${demoId}?depth=0`, { method: 'PATCH', token: session, body: JSON.stringify({ reviewStatus }) })).status).toBe(200)
    }
  }
  expect(await link()).toBe(false)
  try {
    expect((await api(`/api/related-questions/${question.id}`, { method: 'PATCH', token: editor, body: JSON.stringify({ article: demoId }) })).status).toBe(200)
    // The change waits for review: readers keep the approved edition.
    expect(await link()).toBe(false)
    await reapprove()
    expect(await link()).toBe(true)
  } finally {
    await api(`/api/related-questions/${question.id}`, { method: 'PATCH', token: editor, body: JSON.stringify({ article: null }) })
    await reapprove()
  }
  expect(await link()).toBe(false)
})
