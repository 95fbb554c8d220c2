import { afterAll, beforeAll, expect, test } from '@jest/globals'
import type { Browser } from 'playwright-core'

import { baseUrl, launch, screenshot, watchOutsideRequests } from './support/browser'
import { E2E_DEMO_PASSWORD } from './support/globalSetup'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

test('the admin login page renders, and an editor signs in to the dashboard without outside requests', async () => {
  const page = await browser.newPage()
  const outside = watchOutsideRequests(page)
  const failed: string[] = []
  page.on('requestfailed', (request) => failed.push(request.url()))

  await page.goto(`${baseUrl()}/admin`)
  await page.waitForURL(/\/admin\/login/)
  await page.locator('input[name="email"]').waitFor()
  expect(await page.locator('input[name="password"]').isVisible()).toBe(true)
  await screenshot(page, 'admin-login')

  await page.fill('input[name="email"]', 'editor@example.com')
  await page.fill('input[name="password"]', E2E_DEMO_PASSWORD)
  await page.click('button[type="submit"]')
  await page.waitForURL((url) => url.pathname === '/admin' || url.pathname === '/admin/')
  await page.getByText('Articles', { exact: true }).first().waitFor()
  await screenshot(page, 'admin-dashboard-editor')

  expect(outside).toEqual([])
  expect(failed.filter((url) => !url.includes('_rsc'))).toEqual([])
})
