import type { Block } from 'payload'

/**
 * An inline citation in the article body. Its number is the position of its reference in the
 * article's ordered `references` list, so reordering that list renumbers every citation.
 */
export const CitationBlock: Block = {
  slug: 'citation',
  interfaceName: 'CitationBlock',
  labels: { singular: 'Citation', plural: 'Citations' },
  fields: [
    {
      name: 'reference',
      type: 'relationship',
      relationTo: 'references',
      required: true,
      // The number comes from the article's references list, which carries the reference itself.
      maxDepth: 0,
      admin: { description: 'Add the reference to the article’s reference list too; its position there is the citation number.' },
    },
  ],
}
