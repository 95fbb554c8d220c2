import { expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'

import { renderWorkflowTable } from '../../src/rules/workflowTable'

test('the README’s who-may-do-what table is the one the rules module produces', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8')
  const match = /<!-- workflow-table:start -->\n([\s\S]*?)\n<!-- workflow-table:end -->/.exec(readme)
  expect(match?.[1]).toBe(renderWorkflowTable())
})
