/** Prints the README's who-may-do-what table: `npm run generate:workflow-table`. */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { renderWorkflowTable } from '../src/rules/workflowTable'

const readmePath = path.resolve(import.meta.dirname, '../README.md')
const readme = readFileSync(readmePath, 'utf8')
const next = readme.replace(/(<!-- workflow-table:start -->\n)[\s\S]*?(\n<!-- workflow-table:end -->)/, `$1${renderWorkflowTable()}$2`)
writeFileSync(readmePath, next)
console.log(renderWorkflowTable())
