import { randomBytes } from 'node:crypto'

import type { CitedText, PageBlock } from './parsePage'

/** Serialised Lexical state as Payload stores it. */
export type LexicalState = { root: LexicalElement & { type: 'root' } }
type LexicalNode = Record<string, unknown> & { type: string; version: number }
type LexicalElement = LexicalNode & { children: LexicalNode[] }

/** Maps a citation number (1-based) to the id of the reference it points at. */
export type ResolveCitation = (citation: number) => number | string

const element = (type: string, children: LexicalNode[], extra: Record<string, unknown> = {}): LexicalElement => ({
  type,
  children,
  direction: 'ltr',
  format: '',
  indent: 0,
  version: 1,
  ...extra,
})

const text = (value: string): LexicalNode => ({ type: 'text', text: value, detail: 0, format: 0, mode: 'normal', style: '', version: 1 })

const citationNode = (reference: number | string): LexicalNode => ({
  type: 'inlineBlock',
  version: 1,
  fields: { id: randomBytes(12).toString('hex'), blockName: '', blockType: 'citation', reference },
})

const citedInline = (cited: CitedText, resolve: ResolveCitation): LexicalNode[] => [
  text(cited.text),
  ...cited.citations.map((n) => citationNode(resolve(n))),
  ...(cited.trailing ? [text(cited.trailing)] : []),
]

const paragraph = (cited: CitedText, resolve: ResolveCitation) =>
  element('paragraph', citedInline(cited, resolve), { textFormat: 0, textStyle: '' })

export const root = (children: LexicalNode[]): LexicalState => ({ root: element('root', children) as LexicalState['root'] })

export const citedTextToLexical = (cited: CitedText, resolve: ResolveCitation): LexicalState => root([paragraph(cited, resolve)])

export const plainTextToLexical = (value: string): LexicalState =>
  root(value.split(/\n{2,}/).map((chunk) => element('paragraph', [text(chunk.trim())], { textFormat: 0, textStyle: '' })))

export const blocksToLexical = (blocks: PageBlock[], resolve: ResolveCitation): LexicalState =>
  root(
    blocks.map((block) => {
      if (block.kind === 'heading') return element('heading', [text(block.text)], { tag: `h${block.level}` })
      if (block.kind === 'paragraph') return paragraph(block, resolve)
      return element(
        'list',
        block.items.map((item, index) => element('listitem', citedInline(item, resolve), { value: index + 1 })),
        { listType: 'bullet', start: 1, tag: 'ul' },
      )
    }),
  )
