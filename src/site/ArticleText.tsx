import { defaultJSXConverters, LinkJSXConverter, RichText, type JSXConverters } from '@payloadcms/richtext-lexical/react'
import type React from 'react'

type Citable = { id: number | string }

/**
 * Article rich text for the public site, through Payload's Lexical JSX converters: React escapes
 * every stored string, so no text can inject markup. Citations become superscript numbers that
 * link to the numbered reference list.
 */
export const ArticleText: React.FC<{ data: unknown; references: Citable[] }> = ({ data, references }) => {
  if (!data || typeof data !== 'object' || !('root' in data)) return null
  const numberOf = new Map(references.map((reference, index) => [String(reference.id), index + 1]))
  const converters: JSXConverters = {
    ...defaultJSXConverters,
    ...LinkJSXConverter({
      internalDocToHref: ({ linkNode }) => {
        const doc = linkNode.fields.doc?.value
        return typeof doc === 'object' && doc && 'slug' in doc ? `/questions/${String(doc.slug)}` : '#'
      },
    }),
    inlineBlocks: {
      citation: ({ node }) => {
        const reference = (node.fields as { reference?: unknown }).reference
        const id = typeof reference === 'object' && reference ? (reference as Citable).id : reference
        const number = numberOf.get(String(id))
        if (!number) return null
        return (
          <sup className="citation">
            <a href={`#ref-${number}`} aria-label={`Reference ${number}`}>
              {number}
            </a>
          </sup>
        )
      },
    },
  }
  return <RichText data={data as never} converters={converters} disableContainer />
}
