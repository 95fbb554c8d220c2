import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Browser } from 'playwright-core'

import { launch, screenshot, signIn, watchOutsideRequests } from './support/browser'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

test('a reviewer sees the queue counts on the dashboard and opens a filtered queue in one click', async () => {
  const page = await signIn(browser, 'reviewer1@example.com')
  const outside = watchOutsideRequests(page)
  await page.reload()
  await page.locator('[data-queue-count="approved"]').waitFor()
  for (const queue of ['awaiting', 'mine', 'changes', 'approved', 'overdue']) expect(await page.locator(`[data-queue-count="${queue}"]`).count()).toBe(1)
  const approvedCount = Number((await page.locator('[data-queue-count="approved"] div').first().textContent()) ?? '0')
  expect(approvedCount).toBeGreaterThanOrEqual(1)
  await screenshot(page, 'queue-1-dashboard')

  await page.click('[data-queue-count="approved"]')
  await page.locator('[data-review-status]').first().waitFor()
  const statuses = await page.locator('[data-review-status]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-review-status')))
  expect(statuses.length).toBe(approvedCount)
  expect(new Set(statuses)).toEqual(new Set(['approved']))
  expect(await page.locator('nav[aria-label="Review queue"] a').count()).toBe(6)
  await screenshot(page, 'queue-2-approved-list')
  expect(outside).toEqual([])
})
